package dev.mirrordj.agent.incoming.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.incoming.PodNetwork;
import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.CaptureStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mirror end to end: the pod's python app answers every request from the client namespace while two
 * mirroring clients each replay their own copy into a local python app; under a load of 2,000
 * requests either every request reaches both local apps, or the loss is reported — never silent.
 */
class MirrorHubTest {

  private static final int APP_PORT = 8080;
  private static final int REQUESTS = 2000;

  @Test
  void everyClientGetsItsOwnCompleteCopyWhileThePodKeepsAnswering() throws Exception {
    PodNetwork.assumeRoot();
    try (PodNetwork net = new PodNetwork()) {
      String app = net.resource("app_server.py");
      net.spawnPod("python3", app, "pod", "0.0.0.0", String.valueOf(APP_PORT));
      Path logA = Files.createTempFile("mirror-a", ".log");
      Path logB = Files.createTempFile("mirror-b", ".log");
      int portA = net.freePort();
      int portB = net.freePort();
      net.spawnHost("python3", app, "local-a", "127.0.0.1", String.valueOf(portA), logA.toString());
      net.spawnHost("python3", app, "local-b", "127.0.0.1", String.valueOf(portB), logB.toString());
      net.awaitPodPort(APP_PORT);
      net.awaitHostPort(portA);
      net.awaitHostPort(portB);
      LocalReplayClient a = new LocalReplayClient("client-a", portA);
      LocalReplayClient b = new LocalReplayClient("client-b", portB);
      try (MirrorHub hub =
          new MirrorHub(CaptureOptions.defaults(net.podInterface(), net.podNs()))) {
        hub.subscribe(a, APP_PORT);
        hub.subscribe(b, APP_PORT);
        // the capture filter is applied asynchronously: send probes until one is mirrored
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count(logA, "/probe") == 0 || count(logB, "/probe") == 0) {
          assertTrue(System.nanoTime() < deadline, "mirroring never started");
          net.clientHttp(APP_PORT, 1, 1, "/probe");
          Thread.sleep(100);
        }
        String answers = net.clientHttp(APP_PORT, 20, REQUESTS / 20, "/load");
        assertEquals("pod=" + REQUESTS, answers.strip(), "the pod's own app answers every request");
        deadline = System.nanoTime() + 15_000_000_000L;
        while ((count(logA, "/load") < REQUESTS || count(logB, "/load") < REQUESTS)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        CaptureStats stats = hub.stats();
        for (Path log : List.of(logA, logB)) {
          long seen = count(log, "/load");
          assertTrue(
              seen == REQUESTS || stats.lossy(),
              "lost "
                  + (REQUESTS - seen)
                  + " mirrored requests without reporting it: "
                  + stats.describe());
        }
        // at this modest rate loss must stay marginal even on a loaded 2-core machine, and any
        // loss must have reached the clients too (they tell their users)
        for (Path log : List.of(logA, logB)) {
          assertTrue(
              count(log, "/load") >= REQUESTS * 99 / 100,
              "more than 1 % lost: " + stats.describe());
        }
        if (count(logA, "/load") < REQUESTS) {
          assertTrue(a.lostBytes.get() > 0, "client A was not told about its loss");
        }
        if (count(logB, "/load") < REQUESTS) {
          assertTrue(b.lostBytes.get() > 0, "client B was not told about its loss");
        }
      } finally {
        a.close();
        b.close();
        Files.deleteIfExists(logA);
        Files.deleteIfExists(logB);
      }
    }
  }

  private static long count(Path log, String prefix) throws java.io.IOException {
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.startsWith("GET " + prefix)).distinct().count();
    }
  }
}
