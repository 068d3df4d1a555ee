package dev.mirrordj.sniffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.network_interface default: the target's default-route interface, else eth0. */
class DefaultInterfaceTest {
  static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

  @TempDir Path dir;

  private Path table(String name, String... rows) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, List.of(rows));
    return p;
  }

  @Test
  void defaultRouteInterfaceWins() throws Exception {
    Path route =
        table(
            "route",
            HEADER,
            "eth9\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "wan7\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\t0\t0\t0");
    assertEquals("wan7", DefaultInterface.of(route));
  }

  @Test
  void noDefaultRouteFallsBackToEth0() throws Exception {
    Path route =
        table("route", HEADER, "vp3\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0");
    assertEquals("eth0", DefaultInterface.of(route));
    assertEquals("eth0", DefaultInterface.of(dir.resolve("missing")));
  }

  @Test
  void rejectRoutesAndDownRoutesDoNotCountAndTheLowestMetricWins() throws Exception {
    Path route =
        table(
            "route",
            HEADER,
            "*\t00000000\t00000000\t0201\t0\t0\t0\t00000000\t0\t0\t0", // unreachable default
            "down1\t00000000\t0100000A\t0002\t0\t0\t0\t00000000\t0\t0\t0", // not RTF_UP
            "slow\t00000000\t0100000A\t0003\t0\t0\t00000064\t00000000\t0\t0\t0",
            "fast\t00000000\t0100000A\t0003\t0\t0\t0000000A\t00000000\t0\t0\t0");
    assertEquals("fast", DefaultInterface.of(route));
  }

  @Test
  void ipv6DefaultCountsWhenThereIsNoIpv4DefaultButNotItsRejectEntryOnLo() throws Exception {
    String zero = "0".repeat(32);
    Path v6 =
        table(
            "ipv6_route",
            zero + " 00 " + zero + " 00 " + zero + " ffffffff 00000001 00000000 00200200       lo",
            zero
                + " 00 "
                + zero
                + " 00 fe800000000000000000000000000001 00000400 00000001 00000000 00450003   v6up0");
    assertEquals("v6up0", DefaultInterface.fromIpv6Route(v6));
    Path onlyReject =
        table(
            "ipv6_reject",
            zero + " 00 " + zero + " 00 " + zero + " ffffffff 00000001 00000000 00200200       lo");
    assertEquals(null, DefaultInterface.fromIpv6Route(onlyReject));
  }

  @Test
  void interfaceNamesAreReadFromProcNetDev() throws Exception {
    Path dev =
        table(
            "dev",
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes",
            "    lo:    1234      10    0    0    0     0          0         0     1234",
            "  eth0:       0       0    0    0    0     0          0         0        0");
    assertEquals(List.of("lo", "eth0"), DefaultInterface.interfaces(dev));
    assertEquals(List.of(), DefaultInterface.interfaces(dir.resolve("missing")));
  }

  /**
   * Real namespaces: a pod-like namespace with neither a default route nor an eth0 gives every
   * interface ({@code any}); once it has an eth0, eth0; with a default route through a named veth
   * (both ends inside the namespace, so nothing leaves it) that veth.
   */
  @Test
  void liveNamespaceWithAndWithoutADefaultRoute() throws Exception {
    TestNetns.assumeRoot();
    String veth = "mdv" + UUID.randomUUID().toString().substring(0, 6);
    try (TestNetns ns = new TestNetns()) {
      Process p = inNamespace(ns);
      try {
        DefaultInterface.Choice bare = DefaultInterface.choose(p.pid());
        assertEquals("any", bare.name(), "no default route, no eth0: " + bare.reason());
        // a veth pair with both ends in the namespace (this kernel has no dummy driver)
        TestNetns.run(
            "ip", "-n", ns.name, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
        assertEquals("eth0", DefaultInterface.ofProcess(p.pid()), "no default route, an eth0");
        TestNetns.run(
            "ip", "-n", ns.name, "link", "add", veth, "type", "veth", "peer", "name", veth + "p");
        TestNetns.run("ip", "-n", ns.name, "addr", "add", "10.254.77.1/24", "dev", veth);
        TestNetns.run("ip", "-n", ns.name, "link", "set", veth, "up");
        TestNetns.run("ip", "-n", ns.name, "link", "set", veth + "p", "up");
        TestNetns.run(
            "ip", "-n", ns.name, "route", "add", "default", "via", "10.254.77.2", "dev", veth);
        assertEquals(veth, DefaultInterface.ofProcess(p.pid()), "default route via " + veth);
      } finally {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** A process inside the namespace, returned once it runs there (it prints after the setns). */
  private static Process inNamespace(TestNetns ns) throws Exception {
    Process p =
        new ProcessBuilder("ip", "netns", "exec", ns.name, "sh", "-c", "echo in; exec sleep 60")
            .redirectErrorStream(true)
            .start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("in", r.readLine(), "process started in the namespace");
    return p;
  }
}
