package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.FileStat;
import dev.mirrordj.protocol.Files;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.RemoteErrnoException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: a pod-only file is read byte-exact, its metadata matches; a path that escapes the root
 * is refused.
 */
class AgentFilesE2ETest {
  private static final String SECRET = "host-only secret, never visible in the pod\n";
  private static PodAgent env;
  private static AgentClient client;
  private static Path hostSecret;

  @BeforeAll
  static void up() throws Exception {
    env = PodAgent.start();
    client = env.connect("files");
    // A file that exists on the host but not in the pod (the pod's /tmp is private): escaping the
    // pod root
    // would reach it; staying inside finds nothing.
    hostSecret = env.cluster.stage().resolve("host-secret.txt");
    java.nio.file.Files.writeString(hostSecret, SECRET);
    String target = hostSecret.toString();
    env.pod.exec("ln", "-s", target, "/app/abs-link").requireOk();
    env.pod.exec("ln", "-s", "../../../../../../../.." + target, "/app/rel-link").requireOk();
    env.pod.exec("ln", "-s", "config.json", "/app/config-link").requireOk();
    env.pod.exec("ln", "-s", "/app/config.json", "/app/abs-config-link").requireOk();
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void podOnlyFileIsReadByteExactWithOpenReadAndWithFetch() {
    byte[] expected = PodAgent.bigFile();
    long fd =
        Await.result(client.request(new Files.Open("/app/data.bin", 0, 0), Files.HandleReply.class))
            .fd();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (true) {
      Buffer chunk =
          Await.result(client.request(new Files.Read(fd, 256 * 1024), Files.BytesReply.class))
              .data();
      if (chunk.length() == 0) {
        break;
      }
      got.write(chunk.getBytes(), 0, chunk.length());
    }
    Await.result(client.request(new Files.Close(fd)));
    assertArrayEquals(expected, got.toByteArray());

    assertArrayEquals(expected, Await.result(client.fetchFile("/app/data.bin")).getBytes());
    assertEquals(
        PodAgent.CONFIG, PodAgent.utf8(Await.result(client.fetchFile("/app/config.json"))));
    assertEquals(HOSTNAME_LINE, PodAgent.utf8(Await.result(client.fetchFile("/etc/hostname"))));
  }

  private static final String HOSTNAME_LINE = PodAgent.HOSTNAME + "\n";

  @Test
  void preadAndSeekReadTheRightBytes() {
    byte[] expected = PodAgent.bigFile();
    long fd =
        Await.result(client.request(new Files.Open("/app/data.bin", 0, 0), Files.HandleReply.class))
            .fd();
    Buffer mid =
        Await.result(client.request(new Files.Pread(fd, 500_000, 1000), Files.BytesReply.class))
            .data();
    assertArrayEquals(java.util.Arrays.copyOfRange(expected, 500_000, 501_000), mid.getBytes());
    long pos =
        Await.result(client.request(new Files.Seek(fd, -7, 2), Files.CountReply.class)).count();
    assertEquals(expected.length - 7, pos);
    Buffer tail =
        Await.result(client.request(new Files.Read(fd, 100), Files.BytesReply.class)).data();
    assertArrayEquals(
        java.util.Arrays.copyOfRange(expected, expected.length - 7, expected.length),
        tail.getBytes());
    Await.result(client.request(new Files.Close(fd)));
  }

  @Test
  void metadataMatchesWhatTheKernelReportsForThePodFile() throws Exception {
    Path local = env.pod.root().resolve("app/data.bin");
    Map<String, Object> unix = java.nio.file.Files.readAttributes(local, "unix:*");
    FileStat st =
        Await.result(client.request(new Files.Stat("/app/data.bin", true), Files.StatReply.class))
            .stat();
    assertTrue(st.isRegularFile());
    assertEquals(((Number) unix.get("size")).longValue(), st.size());
    assertEquals(PodAgent.bigFile().length, st.size());
    assertEquals(((Number) unix.get("mode")).intValue(), st.mode());
    assertEquals(0640, st.mode() & 07777);
    assertEquals(((Number) unix.get("ino")).longValue(), st.ino());
    assertEquals(((Number) unix.get("dev")).longValue(), st.dev());
    assertEquals(((Number) unix.get("nlink")).longValue(), st.nlink());
    assertEquals(((Number) unix.get("uid")).intValue(), st.uid());
    assertEquals(((Number) unix.get("gid")).intValue(), st.gid());
    FileTime mtime = (FileTime) unix.get("lastModifiedTime");
    java.time.Instant m = mtime.toInstant();
    assertEquals(m.getEpochSecond(), st.mtimeSec());
    assertEquals(m.getNano(), st.mtimeNsec(), "nanosecond part of mtime");

    FileStat dir =
        Await.result(client.request(new Files.Stat("/app", true), Files.StatReply.class)).stat();
    assertTrue(dir.isDirectory());
    FileStat link =
        Await.result(
                client.request(new Files.Stat("/app/config-link", false), Files.StatReply.class))
            .stat();
    assertTrue(link.isSymlink(), "lstat does not follow");
    FileStat followed =
        Await.result(
                client.request(new Files.Stat("/app/config-link", true), Files.StatReply.class))
            .stat();
    assertEquals(PodAgent.CONFIG.length(), followed.size());

    long fd =
        Await.result(client.request(new Files.Open("/app/data.bin", 0, 0), Files.HandleReply.class))
            .fd();
    FileStat fst = Await.result(client.request(new Files.Fstat(fd), Files.StatReply.class)).stat();
    assertEquals(st.ino(), fst.ino());
    assertEquals(st.size(), fst.size());
    Await.result(client.request(new Files.Close(fd)));
  }

  @Test
  void symlinksInsideThePodResolveInsideThePodRoot() {
    assertEquals(
        PodAgent.CONFIG, PodAgent.utf8(Await.result(client.fetchFile("/app/config-link"))));
    assertEquals(
        PodAgent.CONFIG, PodAgent.utf8(Await.result(client.fetchFile("/app/abs-config-link"))));
    assertEquals(
        "config.json",
        Await.result(client.request(new Files.ReadLink("/app/config-link"), Files.PathReply.class))
            .path());
  }

  @Test
  void pathsThatEscapeThePodRootAreRefused() {
    String secretPath = hostSecret.toString();
    assertTrue(java.nio.file.Files.exists(hostSecret), "the secret exists on the host");
    assertFalse(
        java.nio.file.Files.exists(env.pod.root().resolve(secretPath.substring(1))),
        "but not in the pod");
    for (String escape :
        new String[] {
          secretPath, // absolute: the pod's own /tmp, where it does not exist
          "/../../../../../.." + secretPath, // dot-dot above the root
          "/app/../../../.." + secretPath,
          "/app/abs-link", // absolute symlink pointing at the host path
          "/app/rel-link", // relative symlink climbing out
        }) {
      assertRefused(escape);
    }
    // dot-dot at the root stays at the pod's root: this is the pod's hostname file, not the host's
    assertEquals(
        HOSTNAME_LINE, PodAgent.utf8(Await.result(client.fetchFile("/../../etc/hostname"))));
  }

  @Test
  void procMagicLinksDoNotLeadOutOfThePodRoot() {
    String secretPath = hostSecret.toString();
    // The pod sees the host's /proc (no PID namespace here): /proc/<pid>/root of a host process is
    // a
    // kernel "magic" link to that process's root. Reading it is refused to us with EACCES for PID
    // 1.
    assertRefused("/proc/1/root" + secretPath);
    assertRefused("/proc/" + env.agent.process().pid() + "/root" + secretPath);
  }

  private static void assertRefused(String escape) {
    Throwable failure = Await.failure(client.fetchFile(escape));
    RemoteErrnoException errno =
        assertInstanceOf(RemoteErrnoException.class, failure, escape + ": " + failure);
    assertTrue(
        errno.errno() == Errno.ENOENT
            || errno.errno() == Errno.EACCES
            || errno.errno() == Errno.ELOOP,
        escape + " must be refused, got errno " + errno.errno() + " " + errno.getMessage());
    Throwable openFailure = Await.failure(client.request(new Files.Open(escape, 0, 0)));
    assertInstanceOf(RemoteErrnoException.class, openFailure, escape);
  }

  @Test
  void missingFileIsEnoentAndDirectoryListingShowsThePodFiles() {
    RemoteErrnoException e =
        assertInstanceOf(
            RemoteErrnoException.class,
            Await.failure(client.request(new Files.Open("/app/missing.txt", 0, 0))));
    assertEquals(Errno.ENOENT, e.errno());
    long dir =
        Await.result(client.request(new Files.OpenDir("/app"), Files.HandleReply.class)).fd();
    java.util.Set<String> names = new java.util.TreeSet<>();
    while (true) {
      var batch =
          Await.result(client.request(new Files.ReadDir(dir, 2), Files.DirEntriesReply.class))
              .entries();
      if (batch.isEmpty()) {
        break;
      }
      assertTrue(batch.size() <= 2, "batch limit honoured");
      batch.forEach(en -> names.add(en.name()));
    }
    Await.result(client.request(new Files.Close(dir)));
    assertTrue(
        names.containsAll(
            java.util.List.of("config.json", "data.bin", "abs-link", "rel-link", "config-link")),
        names.toString());
  }

  @Test
  void writesLandInThePodOnly() throws Exception {
    int oWronlyCreatTrunc = 01 | 0100 | 01000;
    long fd =
        Await.result(
                client.request(
                    new Files.Open("/app/written.txt", oWronlyCreatTrunc, 0644),
                    Files.HandleReply.class))
            .fd();
    Await.result(client.request(new Files.Write(fd, Buffer.buffer("written through the agent\n"))));
    Await.result(client.request(new Files.Close(fd)));
    assertEquals(
        "written through the agent\n",
        env.pod.exec("cat", "/app/written.txt").requireOk().stdout());
    assertFalse(java.nio.file.Files.exists(Path.of("/app/written.txt")));
    Await.result(client.request(new Files.Unlink("/app/written.txt")));
    assertEquals(1, env.pod.exec("test", "-e", "/app/written.txt").exitCode());
  }

  @Test
  void directoryAndFileMutationsHappenInThePodOnly() {
    Await.result(client.request(new Files.Mkdir("/app/made", 0750)));
    assertEquals("750\n", env.pod.exec("stat", "-c", "%a", "/app/made").requireOk().stdout());
    assertFalse(java.nio.file.Files.exists(Path.of("/app/made")), "the host has no such directory");
    assertEquals(Errno.EEXIST, errno(new Files.Mkdir("/app/made", 0750)));

    int oRdwrCreat = 02 | 0100;
    long fd =
        Await.result(
                client.request(
                    new Files.Open("/app/made/f.txt", oRdwrCreat, 0600), Files.HandleReply.class))
            .fd();
    Await.result(client.request(new Files.Write(fd, Buffer.buffer("hello world!"))));
    Await.result(client.request(new Files.Pwrite(fd, 6, Buffer.buffer("there"))));
    Await.result(client.request(new Files.Ftruncate(fd, 11)));
    Await.result(client.request(new Files.Close(fd)));
    assertEquals("hello there", env.pod.exec("cat", "/app/made/f.txt").requireOk().stdout());
    Await.result(client.request(new Files.Truncate("/app/made/f.txt", 5)));
    assertEquals("hello", env.pod.exec("cat", "/app/made/f.txt").requireOk().stdout());

    Await.result(client.request(new Files.Access("/app/made/f.txt", 0)));
    assertEquals(Errno.ENOENT, errno(new Files.Access("/app/made/nothing", 0)));
    Await.result(client.request(new Files.Rename("/app/made/f.txt", "/app/made/g.txt")));
    assertEquals("hello", env.pod.exec("cat", "/app/made/g.txt").requireOk().stdout());
    assertEquals(1, env.pod.exec("test", "-e", "/app/made/f.txt").exitCode());

    assertEquals(Errno.ENOTEMPTY, errno(new Files.Rmdir("/app/made")));
    Await.result(client.request(new Files.Unlink("/app/made/g.txt")));
    Await.result(client.request(new Files.Rmdir("/app/made")));
    assertEquals(1, env.pod.exec("test", "-e", "/app/made").exitCode());
  }

  private static int errno(dev.mirrordj.protocol.Message request) {
    return assertInstanceOf(RemoteErrnoException.class, Await.failure(client.request(request)))
        .errno();
  }
}
