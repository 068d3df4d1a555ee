package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Programs whose allocator is jemalloc, tcmalloc or mimalloc start and read a remote file under the
 * layer. Those allocators call readlink, open and fstat while holding their own init lock; a hook
 * that allocated with the program's malloc there deadlocked before main(). Nothing is fast-local
 * here (no prefixes), so the allocator's own calls really go through the layer and the proxy. The
 * allocators come from scripts/install-deps.sh; a missing one is a failure, not a skip.
 */
class AllocatorsUnderLayerTest {
  static final Path LIBS = Path.of("/usr/lib/x86_64-linux-gnu");
  @org.junit.jupiter.api.io.TempDir static Path work;
  static LayerHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new LayerHarness(work);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
  }

  static Path allocator(String soname) {
    Path lib = LIBS.resolve(soname);
    assertTrue(Files.exists(lib), lib + " missing: run scripts/install-deps.sh");
    return lib;
  }

  private static void assertReadsRemote(LayerHarness.Result r, String expected) {
    assertEquals(0, r.exit(), "exit code; stderr:\n" + r.stderr());
    assertTrue(
        r.lines().contains(expected),
        "missing '" + expected + "'\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"libjemalloc.so.2", "libtcmalloc_minimal.so.4", "libmimalloc.so.2"})
  void allocatorPreloadedBeforeTheLayer(String soname) throws Exception {
    String lib = allocator(soname).toString();
    LayerHarness.Result r =
        h.run(List.of("cat", FixtureHandler.REMOTE + "/hello.txt"), Map.of("LD_PRELOAD", lib), 30);
    assertReadsRemote(r, "hello from the pod");
  }

  @ParameterizedTest
  @ValueSource(strings = {"libjemalloc.so.2", "libtcmalloc_minimal.so.4", "libmimalloc.so.2"})
  void allocatorPreloadedAfterTheLayerWithPython(String soname) throws Exception {
    String lib = allocator(soname).toString();
    LayerHarness.Result r =
        h.run(
            List.of(
                "/usr/bin/python3",
                "-c",
                "import os; print(open('"
                    + FixtureHandler.REMOTE
                    + "/hello.txt').read().strip()); print(sorted(os.listdir('"
                    + FixtureHandler.REMOTE
                    + "/dir')))"),
            Map.of("MIRRORD_TEST_PRELOAD_AFTER", lib),
            30);
    assertReadsRemote(r, "hello from the pod");
    assertTrue(r.lines().contains("['a.txt', 'b.txt', 'sub']"), r.stdout());
  }

  /** nghttpd is linked to jemalloc by Debian: the allocator initialises before any preload runs. */
  @org.junit.jupiter.api.Test
  void programLinkedToJemallocStarts() throws Exception {
    allocator("libjemalloc.so.2");
    Path nghttpd = Path.of("/usr/sbin/nghttpd");
    assertTrue(Files.exists(nghttpd), "nghttpd missing: run scripts/install-deps.sh");
    LayerHarness.Result r = h.run(List.of(nghttpd.toString(), "--version"), Map.of(), 30);
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().startsWith("nghttpd nghttp2/"), r.stdout());
    assertTrue(
        h.handler.hellos.stream().anyMatch(hello -> hello.exe().endsWith("/nghttpd")),
        "nghttpd reached the proxy through the layer: " + h.handler.hellos);
  }
}
