package dev.mirrordj.agent.guard;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's class-data archive: recorded once per jar, then reused; never half-written. */
class WorkerClassCacheTest {
  @TempDir Path tmp;

  @Test
  void firstWorkerRecordsLaterWorkersShareAndARebuiltJarStartsOver() throws Exception {
    Path jar = Files.write(tmp.resolve("app.jar"), new byte[] {1, 2, 3});
    Map<String, String> env = Map.of("MIRRORDJ_CACHE_DIR", tmp.resolve("cache").toString());

    WorkerClassCache first = WorkerClassCache.forClassPath(jar.toString(), env);
    String record = single(first.jvmOptions());
    assertTrue(record.startsWith("-XX:ArchiveClassesAtExit=" + tmp.resolve("cache/cds")), record);
    Path recording = Path.of(record.substring(record.indexOf('=') + 1));
    Files.write(recording, new byte[] {42}); // what the worker JVM writes at exit
    first.workerExited();
    assertFalse(Files.exists(recording), "the recording is moved, not copied");

    String share = single(WorkerClassCache.forClassPath(jar.toString(), env).jvmOptions());
    assertTrue(share.startsWith("-XX:SharedArchiveFile="), share);
    Path archive = Path.of(share.substring(share.indexOf('=') + 1));
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(archive));

    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertTrue(
        single(WorkerClassCache.forClassPath(jar.toString(), env).jvmOptions())
            .startsWith("-XX:ArchiveClassesAtExit="),
        "a rebuilt jar records a new archive");
  }

  @Test
  void aWorkerThatWroteNothingLeavesNoArchive() throws Exception {
    Path jar = Files.write(tmp.resolve("app.jar"), new byte[] {1});
    Map<String, String> env = Map.of("MIRRORDJ_CACHE_DIR", tmp.resolve("cache").toString());
    WorkerClassCache first = WorkerClassCache.forClassPath(jar.toString(), env);
    first.workerExited(); // killed before it could write
    assertTrue(
        single(WorkerClassCache.forClassPath(jar.toString(), env).jvmOptions())
            .startsWith("-XX:ArchiveClassesAtExit="));
    try (var files = Files.list(tmp.resolve("cache/cds"))) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void offForDirectoriesOnTheClassPathOrWhenAskedOrWithoutAWritableCache() throws Exception {
    Path jar = Files.write(tmp.resolve("app.jar"), new byte[] {1});
    Map<String, String> env = Map.of("MIRRORDJ_CACHE_DIR", tmp.resolve("cache").toString());
    assertEquals(List.of(), WorkerClassCache.forClassPath(tmp + ":" + jar, env).jvmOptions());
    assertEquals(
        List.of(),
        WorkerClassCache.forClassPath(
                jar.toString(),
                Map.of(
                    "MIRRORDJ_CACHE_DIR",
                    tmp.resolve("cache").toString(),
                    "MIRRORDJ_AGENT_CDS",
                    "off"))
            .jvmOptions());
    assertEquals(
        List.of(),
        WorkerClassCache.forClassPath(
                jar.toString(), Map.of("MIRRORDJ_CACHE_DIR", jar.resolve("not-a-dir").toString()))
            .jvmOptions());
    assertTrue(WorkerClassCache.isSharingOption("-Xshare:off"));
    assertFalse(WorkerClassCache.isSharingOption("-Xss512k"));
  }

  private static String single(List<String> options) {
    assertEquals(1, options.size(), options.toString());
    return options.get(0);
  }
}
