package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dnsmasq inside the cluster namespace: the DNS server only pods use. It answers from a hosts file
 * (A and PTR records) that grows as pods are added, and is authoritative for every name: anything
 * it does not know is NXDOMAIN at once (never forwarded, never a timeout), so nothing leaves the
 * machine.
 */
final class ClusterDns {
  private final NamedNetns netns;
  private final String listenIp;
  private final String listenIp6;
  private final Path hostsFile;
  private final Path log;
  private final Map<String, String> records = new LinkedHashMap<>();
  private Process process;

  ClusterDns(NamedNetns netns, String listenIp, String listenIp6, Path stage) {
    this.netns = netns;
    this.listenIp = listenIp;
    this.listenIp6 = listenIp6;
    this.hostsFile = stage.resolve("cluster-hosts");
    this.log = stage.resolve("dnsmasq.log");
  }

  /**
   * Adds {@code names} for {@code ip}; takes effect on the next {@link #start} or {@link #reload}.
   */
  synchronized void addRecord(String ip, String... names) {
    records.merge(ip, String.join(" ", names), (a, b) -> a + " " + b);
  }

  synchronized void start() {
    writeHosts();
    List<String> argv =
        List.of(
            "ip",
            "netns",
            "exec",
            netns.name(),
            "dnsmasq",
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--no-poll",
            "--listen-address=" + listenIp,
            "--listen-address=" + listenIp6,
            "--bind-interfaces",
            "--pid-file=",
            "--user=root",
            "--addn-hosts=" + hostsFile,
            "--local=/#/",
            "--log-facility=" + log);
    try {
      process =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new HarnessException(
          "cannot start dnsmasq in " + netns.name() + ": " + e.getMessage(), e);
    }
    Poll.until(
        "dnsmasq listening on " + listenIp + ":53",
        Duration.ofSeconds(10),
        () -> {
          if (!process.isAlive()) {
            throw new HarnessException(
                "dnsmasq exited with " + process.exitValue() + "; log: " + readLog());
          }
          return ListeningSockets.udpBound(process.pid(), 53);
        });
  }

  /**
   * Rewrites the hosts file and makes dnsmasq re-read it (SIGHUP), waiting until it logged the
   * reload.
   */
  synchronized void reload() {
    writeHosts();
    long before = readLog().split("read " + hostsFile, -1).length;
    Commands.check("kill", "-HUP", Long.toString(process.pid()));
    Poll.until(
        "dnsmasq to re-read " + hostsFile,
        Duration.ofSeconds(10),
        () -> readLog().split("read " + hostsFile, -1).length > before);
  }

  private void writeHosts() {
    StringBuilder sb = new StringBuilder();
    records.forEach((ip, names) -> sb.append(ip).append(' ').append(names).append('\n'));
    try {
      Files.writeString(hostsFile, sb.toString());
    } catch (IOException e) {
      throw new HarnessException("cannot write " + hostsFile, e);
    }
  }

  private String readLog() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
