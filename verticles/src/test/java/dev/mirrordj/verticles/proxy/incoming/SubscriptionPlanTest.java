package dev.mirrordj.verticles.proxy.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.protocol.incoming.Incoming;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every configuration rule that decides whether and how a local listener is subscribed. */
class SubscriptionPlanTest {
  static final InetAddress ANY = addr("0.0.0.0");
  static final InetAddress LOOPBACK = addr("127.0.0.1");

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static IncomingSettings settings(
      IncomingMode mode,
      String header,
      Map<Integer, Integer> mapping,
      Optional<Set<Integer>> ports,
      Set<Integer> ignore,
      boolean ignoreLocalhost) {
    return new IncomingSettings(
        mode, header, "", Set.of(80, 8080), mapping, ports, ignore, ignoreLocalhost, true);
  }

  static Optional<Incoming.Subscribe> plan(IncomingSettings s, InetAddress a, int port) {
    return new SubscriptionPlan(s).plan(a, port);
  }

  @Test
  void mirrorSubscribesTheSamePortByDefault() {
    Incoming.Subscribe s =
        plan(
                settings(IncomingMode.MIRROR, "", Map.of(), Optional.empty(), Set.of(), false),
                ANY,
                8080)
            .orElseThrow();
    assertEquals(new Incoming.Subscribe(8080, Incoming.MODE_MIRROR, "", "", false, false), s);
  }

  @Test
  void offSubscribesNothing() {
    assertTrue(
        plan(settings(IncomingMode.OFF, "", Map.of(), Optional.empty(), Set.of(), false), ANY, 80)
            .isEmpty());
  }

  @Test
  void portMappingNamesTheRemotePort() {
    Incoming.Subscribe s =
        plan(
                settings(
                    IncomingMode.STEAL, "", Map.of(9333, 80), Optional.empty(), Set.of(), false),
                ANY,
                9333)
            .orElseThrow();
    assertEquals(80, s.port());
    assertEquals(Incoming.MODE_STEAL, s.mode());
    assertEquals("", s.headerFilter());
    assertTrue(s.flushConnections());
  }

  @Test
  void ignorePortsAndIgnoreLocalhostStayLocal() {
    IncomingSettings s =
        settings(IncomingMode.MIRROR, "", Map.of(), Optional.empty(), Set.of(9999), true);
    assertTrue(plan(s, ANY, 9999).isEmpty());
    assertTrue(plan(s, LOOPBACK, 80).isEmpty());
    assertTrue(plan(s, addr("::1"), 80).isEmpty());
    assertTrue(plan(s, ANY, 80).isPresent());
    assertTrue(
        plan(
                settings(IncomingMode.MIRROR, "", Map.of(), Optional.empty(), Set.of(), false),
                LOOPBACK,
                80)
            .isPresent(),
        "without ignore_localhost a loopback listener is subscribed too");
  }

  @Test
  void portsListLimitsSubscriptions() {
    IncomingSettings s =
        settings(IncomingMode.MIRROR, "", Map.of(), Optional.of(Set.of(80)), Set.of(), false);
    assertTrue(plan(s, ANY, 80).isPresent());
    assertTrue(plan(s, ANY, 81).isEmpty());
  }

  @Test
  void filterAppliesOnFilterPortsOnly() {
    IncomingSettings s =
        settings(IncomingMode.STEAL, "^x-user: me$", Map.of(), Optional.empty(), Set.of(), false);
    Incoming.Subscribe on80 = plan(s, ANY, 80).orElseThrow();
    assertEquals("^x-user: me$", on80.headerFilter());
    assertTrue(
        plan(s, ANY, 9000).isEmpty(),
        "with a filter, other ports are not stolen unless listed in ports");
    IncomingSettings listed =
        settings(
            IncomingMode.STEAL,
            "^x-user: me$",
            Map.of(),
            Optional.of(Set.of(80, 9000)),
            Set.of(),
            false);
    Incoming.Subscribe on9000 = plan(listed, ANY, 9000).orElseThrow();
    assertEquals(
        "", on9000.headerFilter(), "a listed port outside http_filter.ports is stolen whole");
  }

  @Test
  void filterPortsAreRemotePorts() {
    IncomingSettings s =
        settings(
            IncomingMode.STEAL,
            "^x-user: me$",
            Map.of(9080, 80),
            Optional.empty(),
            Set.of(),
            false);
    assertEquals("^x-user: me$", plan(s, ANY, 9080).orElseThrow().headerFilter());
  }

  @Test
  void wildcardListenerIsReachedOverLoopback() {
    var v4 =
        IncomingForwarder.deliveryAddress(dev.mirrordj.layerbridge.msg.SockAddr.inet(ANY, 8080));
    assertEquals("127.0.0.1", v4.host());
    assertEquals(8080, v4.port());
    var v6 =
        IncomingForwarder.deliveryAddress(
            dev.mirrordj.layerbridge.msg.SockAddr.inet(addr("::"), 8080));
    assertTrue(addr(v6.host()).isLoopbackAddress(), v6.host());
  }
}
