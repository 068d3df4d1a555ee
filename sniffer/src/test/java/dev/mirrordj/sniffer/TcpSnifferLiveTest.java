package dev.mirrordj.sniffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real traffic in a namespace we create: a python HTTP server, a python client, pcap capture. */
class TcpSnifferLiveTest {

  private static final int PORT = 18080;
  private static final int OTHER_PORT = 18081;
  private static final int REQUESTS = 300;

  @BeforeAll
  static void root() {
    TestNetns.assumeRoot();
  }

  private static final String CLIENT =
      String.join(
          "\n",
          "import http.client, sys",
          "host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
          "c = http.client.HTTPConnection(host, port)",
          "for i in range(n):",
          "    c.request('GET', '/req-%d' % i, headers={'X-Id': str(i)})",
          "    r = c.getresponse(); r.read()",
          "    if i % 50 == 49:",
          "        c.close(); c = http.client.HTTPConnection(host, port)",
          "print('done')");

  @Test
  void everyRequestToTheSubscribedPortIsCapturedInOrderAndOtherPortsAreNot() throws Exception {
    try (TestNetns ns = new TestNetns()) {
      ns.spawn("python3", "-m", "http.server", "--bind", "::", String.valueOf(PORT));
      ns.spawn("python3", "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(OTHER_PORT));
      waitForPort(ns, "::1", PORT);
      waitForPort(ns, "127.0.0.1", OTHER_PORT);
      RecordingListener listener = new RecordingListener();
      try (TcpSniffer sniffer =
          TcpSniffer.start(CaptureOptions.defaults("lo", ns.path), listener)) {
        sniffer.setPorts(Set.of(PORT));
        // the filter is applied on the capture thread; wait until it sees traffic
        awaitCaptureActive(ns, sniffer, listener);
        int before = countRequests(listener);
        ns.exec(
            "python3", "-c", CLIENT, "127.0.0.1", String.valueOf(PORT), String.valueOf(REQUESTS));
        ns.exec("python3", "-c", CLIENT, "::1", String.valueOf(PORT), "10");
        ns.exec("python3", "-c", CLIENT, "127.0.0.1", String.valueOf(OTHER_PORT), "10");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (countRequests(listener) < before + REQUESTS + 10 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        CaptureStats stats = sniffer.stats();
        assertFalse(stats.lossy(), "no loss expected at this rate: " + stats.describe());
        assertEquals(before + REQUESTS + 10, countRequests(listener), "every request seen once");
        synchronized (listener) {
          // each connection's stream carries its requests in order and nothing from OTHER_PORT
          for (FlowKey flow : listener.data.keySet()) {
            assertEquals(PORT, flow.destinationPort());
            assertInOrder(listener.text(flow));
          }
          assertTrue(
              listener.data.keySet().stream()
                  .anyMatch(f -> f.destination().getAddress().length == 16),
              "the IPv6 connection was captured");
        }
      }
    }
  }

  /**
   * A pod with neither a default route nor an eth0 is captured on every interface ({@code any},
   * cooked capture): each request is still seen exactly once and in order.
   */
  @Test
  void captureOnEveryInterfaceSeesEachRequestOnce() throws Exception {
    try (TestNetns ns = new TestNetns()) {
      ns.spawn("python3", "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(PORT));
      waitForPort(ns, "127.0.0.1", PORT);
      RecordingListener listener = new RecordingListener();
      try (TcpSniffer sniffer =
          TcpSniffer.start(
              CaptureOptions.defaults(DefaultInterface.EVERY_INTERFACE, ns.path), listener)) {
        sniffer.setPorts(Set.of(PORT));
        awaitCaptureActive(ns, sniffer, listener);
        int before = countRequests(listener);
        ns.exec("python3", "-c", CLIENT, "127.0.0.1", String.valueOf(PORT), "100");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (countRequests(listener) < before + 100 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(200); // a duplicate delivery would show up right after the originals
        assertEquals(before + 100, countRequests(listener), "every request seen exactly once");
        synchronized (listener) {
          for (FlowKey flow : listener.data.keySet()) {
            assertInOrder(listener.text(flow));
          }
        }
      }
    }
  }

  private static void awaitCaptureActive(
      TestNetns ns, TcpSniffer sniffer, RecordingListener listener) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (countRequests(listener) == 0) {
      assertTrue(System.nanoTime() < deadline, "capture never saw the warm-up request");
      ns.exec("python3", "-c", CLIENT, "127.0.0.1", String.valueOf(PORT), "1");
      Thread.sleep(50);
    }
  }

  private static int countRequests(RecordingListener listener) {
    synchronized (listener) {
      int n = 0;
      for (FlowKey flow : listener.data.keySet()) {
        Matcher m = Pattern.compile("GET /req-\\d+ HTTP/1.1").matcher(listener.text(flow));
        while (m.find()) {
          n++;
        }
      }
      return n;
    }
  }

  private static void assertInOrder(String stream) {
    Matcher m = Pattern.compile("GET /req-(\\d+) ").matcher(stream);
    int last = -1;
    while (m.find()) {
      int i = Integer.parseInt(m.group(1));
      assertTrue(i > last || i == 0, "requests out of order in stream: " + last + " then " + i);
      last = i;
    }
  }

  private static void waitForPort(TestNetns ns, String host, int port) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try {
        ns.exec(
            "python3",
            "-c",
            "import socket; socket.create_connection(('" + host + "', " + port + "), 1).close()");
        return;
      } catch (java.io.IOException notYet) {
        assertTrue(
            System.nanoTime() < deadline, "server on " + host + ":" + port + " never came up");
        Thread.sleep(100);
      }
    }
  }
}
