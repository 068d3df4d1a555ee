package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.Cluster;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.client.AgentClient;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: the environment shows the pod's values minus the default exclusions, with
 * include/exclude wildcards; a cluster-only name resolves through the agent (not on the host);
 * NXDOMAIN is NXDOMAIN; the hostname is the pod's.
 */
class AgentEnvAndLookupsE2ETest {
  /**
   * Agent-side exclusions that are in the target pod's environment (mirrord's default exclusion
   * list).
   */
  private static final Set<String> DEFAULT_EXCLUDED_PRESENT =
      Set.of("PATH", "HOME", "JAVA_HOME", "CLASSPATH", "RUST_LOG");

  private static PodAgent env;
  private static AgentClient client;

  @BeforeAll
  static void up() {
    env = PodAgent.start();
    client = env.connect("lookups");
  }

  @AfterAll
  static void down() {
    if (env != null) {
      env.close();
    }
  }

  private static Map<String, String> remoteEnv(List<String> include, List<String> exclude) {
    return new TreeMap<>(
        Await.result(client.request(new Lookups.GetEnv(include, exclude), Lookups.EnvReply.class))
            .vars());
  }

  @Test
  void environmentIsThePodsMinusTheDefaultExclusions() {
    Map<String, String> expected = new TreeMap<>(env.pod.env());
    expected.keySet().removeAll(DEFAULT_EXCLUDED_PRESENT);
    assertEquals(expected, remoteEnv(List.of(), List.of()));
    assertEquals("production", expected.get("APP_MODE"), "sanity: the pod's own value");
    assertFalse(expected.containsKey("PWD"));
    assertTrue(
        env.pod.env().keySet().containsAll(DEFAULT_EXCLUDED_PRESENT),
        "sanity: the pod really has them");
  }

  @Test
  void includeAndExcludeWildcardsSelectVariables() {
    assertEquals(
        Map.of("APP_MODE", "production", "APP_COLOR", "blue", "APP_SECRET1", "s3cr3t"),
        remoteEnv(List.of("APP_*"), List.of()));
    assertEquals(
        Map.of("APP_MODE", "production", "APP_COLOR", "blue"),
        remoteEnv(List.of("APP_*"), List.of("APP_SECRET?")));
    assertEquals(Map.of("APP_MODE", "production"), remoteEnv(List.of("APP_MOD?"), List.of()));
    Map<String, String> noApp = remoteEnv(List.of(), List.of("APP_*", "KUBERNETES_*"));
    assertTrue(
        noApp.keySet().stream().noneMatch(k -> k.startsWith("APP_") || k.startsWith("KUBERNETES_")),
        noApp.toString());
    assertEquals("db.default.svc.cluster.local", noApp.get("DB_HOST"));
    assertEquals(
        Map.of(),
        remoteEnv(List.of("JAVA_*", "CLASS*", "RUST_LO?"), List.of()),
        "a wildcard include does not bring back a default exclusion");
    // the spec (feature.env.include): "including these requires specifying them with include"
    assertEquals(
        Map.of("JAVA_HOME", "/usr/lib/jvm/pod-java", "PATH", env.pod.env().get("PATH")),
        remoteEnv(List.of("JAVA_HOME", "PATH"), List.of()),
        "a literal include re-enables a default exclusion");
  }

  private static List<String> addresses(Lookups.AddrInfoReply reply) {
    return reply.records().stream()
        .map(
            r -> {
              try {
                return InetAddress.getByAddress(r.address()).getHostAddress();
              } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
              }
            })
        .distinct()
        .collect(Collectors.toList());
  }

  @Test
  void clusterOnlyNamesResolveThroughTheAgent() {
    Lookups.AddrInfoReply shortName =
        Await.result(
            client.request(new Lookups.Resolve("echo", 4, 1), Lookups.AddrInfoReply.class));
    assertEquals(Lookups.EAI_OK, shortName.status());
    assertEquals(
        List.of(env.cluster.echoIp()), addresses(shortName), "search domain expands 'echo'");

    Lookups.AddrInfoReply fqdn =
        Await.result(
            client.request(
                new Lookups.Resolve(Cluster.HTTP_NAME, 0, 0), Lookups.AddrInfoReply.class));
    assertEquals(Lookups.EAI_OK, fqdn.status());
    assertEquals(List.of(env.cluster.httpIp()), addresses(fqdn));

    Lookups.AddrInfoReply self =
        Await.result(
            client.request(
                new Lookups.Resolve(PodAgent.HOSTNAME, 4, 1), Lookups.AddrInfoReply.class));
    assertEquals(List.of(env.pod.ip()), addresses(self), "the pod's /etc/hosts is used");
  }

  @Test
  void clusterOnlyNamesDoNotResolveOnTheHost() throws Exception {
    // Checked without sending any query off the machine: the host's resolver files do not know the
    // names,
    // and the only server that does (the cluster DNS) is unreachable from the host.
    assertFalse(Files.readString(Path.of("/etc/hosts")).contains("cluster.local"));
    assertFalse(Files.readString(Path.of("/etc/resolv.conf")).contains(env.cluster.dnsIp()));
    try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
      byte[] q = new byte[12];
      org.junit.jupiter.api.Assertions.assertThrows(
          java.io.IOException.class,
          () ->
              s.send(
                  new java.net.DatagramPacket(
                      q, q.length, InetAddress.getByName(env.cluster.dnsIp()), 53)));
    }
  }

  @Test
  void nxdomainComesBackAsAnAnswer() {
    Lookups.AddrInfoReply missing =
        Await.result(
            client.request(
                new Lookups.Resolve("no-such-service.default.svc.cluster.local", 0, 0),
                Lookups.AddrInfoReply.class),
            java.time.Duration.ofSeconds(5));
    assertEquals(Errno.EAI_NONAME, missing.status());
    assertTrue(missing.records().isEmpty());
    Lookups.AddrInfoReply shortMissing =
        Await.result(
            client.request(new Lookups.Resolve("nothing-here", 4, 1), Lookups.AddrInfoReply.class),
            java.time.Duration.ofSeconds(5));
    assertEquals(Errno.EAI_NONAME, shortMissing.status());
  }

  @Test
  void reverseLookupUsesTheClusterDns() throws Exception {
    Lookups.NameReply name =
        Await.result(
            client.request(
                new Lookups.Reverse(InetAddress.getByName(env.cluster.echoIp()).getAddress()),
                Lookups.NameReply.class));
    assertEquals(0, name.status());
    assertTrue(name.name().startsWith("echo."), name.name());
  }

  @Test
  void hostnameIsThePods() {
    Lookups.NameReply name =
        Await.result(client.request(new Lookups.GetHostname(), Lookups.NameReply.class));
    assertEquals(PodAgent.HOSTNAME, name.name());
    assertFalse(
        name.name().equals(dev.mirrordj.harness.Commands.check("hostname").stdout().strip()));
  }
}
