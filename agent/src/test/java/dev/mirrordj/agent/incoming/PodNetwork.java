package dev.mirrordj.agent.incoming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Test fixture, older than the shared pod harness: a "pod" network namespace and a "client"
 * namespace joined by a veth pair, IPv4 and IPv6, no default routes, so test traffic never leaves
 * the two namespaces. Processes started here are killed and both namespaces deleted on close.
 */
public final class PodNetwork implements AutoCloseable {

  final String id = UUID.randomUUID().toString().substring(0, 6);
  public final String pod = "mdjp" + id;
  public final String client = "mdjc" + id;
  final Path podNs = Path.of("/run/netns", pod);
  final int octet = ThreadLocalRandom.current().nextInt(1, 250);
  public final String podIp = "10.251." + octet + ".1";
  final String clientIp = "10.251." + octet + ".2";
  final String podIp6 = "fd00:251:" + Integer.toHexString(octet) + "::1";
  private final List<Process> processes = new ArrayList<>();

  public static void assumeRoot() {
    if (!dev.mirrordj.sys.Privileges.effectiveRoot() && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("skipped: needs root for network namespaces and iptables (runs in CI)");
    }
  }

  public PodNetwork() throws IOException, InterruptedException {
    try {
      run("ip", "netns", "add", pod);
      run("ip", "netns", "add", client);
      run("ip", "link", "add", "vp" + id, "type", "veth", "peer", "name", "vc" + id);
      run("ip", "link", "set", "vp" + id, "netns", pod);
      run("ip", "link", "set", "vc" + id, "netns", client);
      run("ip", "-n", pod, "addr", "add", podIp + "/24", "dev", "vp" + id);
      run("ip", "-n", client, "addr", "add", clientIp + "/24", "dev", "vc" + id);
      run("ip", "-n", pod, "addr", "add", podIp6 + "/64", "dev", "vp" + id, "nodad");
      run(
          "ip",
          "-n",
          client,
          "addr",
          "add",
          "fd00:251:" + Integer.toHexString(octet) + "::2/64",
          "dev",
          "vc" + id,
          "nodad");
      for (String ns : List.of(pod, client)) {
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "link", "set", ns.equals(pod) ? "vp" + id : "vc" + id, "up");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  /** Starts a long-running process in a namespace; killed on close. */
  public Process spawn(String ns, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(p);
    return p;
  }

  /** Runs a command in a namespace to completion and returns its output. */
  public String exec(String ns, String... cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    return run(full.toArray(String[]::new));
  }

  /** Waits until something accepts connections on host:port, seen from the namespace. */
  void awaitPort(String ns, String host, int port) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try {
        exec(
            ns,
            "python3",
            "-c",
            "import socket; socket.create_connection(('" + host + "', " + port + "), 1).close()");
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException(host + ":" + port + " never accepted connections in " + ns);
        }
        Thread.sleep(100);
      }
    }
  }

  public Path podNs() {
    return podNs;
  }

  /** The pod's veth end, where traffic from the client namespace arrives. */
  public String podInterface() {
    return "vp" + id;
  }

  public String resource(String name) throws Exception {
    return Path.of(PodNetwork.class.getResource("/incoming/" + name).toURI()).toString();
  }

  public void spawnPod(String... cmd) throws IOException {
    spawn(pod, cmd);
  }

  /**
   * Starts a process in the host namespace (stand-in for the developer's machine); killed on close.
   */
  public void spawnHost(String... cmd) throws IOException {
    processes.add(
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start());
  }

  public int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public void awaitPodPort(int port) throws Exception {
    awaitPort(pod, "127.0.0.1", port);
  }

  public void awaitHostPort(int port) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(50);
      }
    }
  }

  /**
   * From the client namespace: {@code connections} parallel keep-alive connections to the pod,
   * {@code perConnection} GETs each with unique paths {@code prefix-C-I}; returns "pod=N" with the
   * number of answers that came from the pod's own app.
   */
  public String clientHttp(int port, int connections, int perConnection, String prefix)
      throws Exception {
    String code =
        String.join(
            "\n",
            "import http.client, sys, threading",
            "host, port, conns, per, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]",
            "count = [0]; lock = threading.Lock()",
            "def run(c):",
            "    h = http.client.HTTPConnection(host, port, timeout=10)",
            "    for i in range(per):",
            "        h.request('GET', '%s-%d-%d' % (prefix, c, i))",
            "        body = h.getresponse().read().decode()",
            "        if body.startswith('pod '):",
            "            with lock: count[0] += 1",
            "ts = [threading.Thread(target=run, args=(c,)) for c in range(conns)]",
            "[t.start() for t in ts]; [t.join() for t in ts]",
            "print('pod=%d' % count[0])");
    return exec(
        client,
        "python3",
        "-c",
        code,
        podIp,
        String.valueOf(port),
        String.valueOf(connections),
        String.valueOf(perConnection),
        prefix);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (Process p : processes) {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    for (String ns : List.of(pod, client)) {
      if (Files.exists(Path.of("/run/netns", ns))) {
        run("ip", "netns", "del", ns); // deleting the namespace also removes its veth end and rules
      }
    }
  }
}
