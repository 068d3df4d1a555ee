package dev.mirrordj.verticles.proxy;

import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.LOCAL;
import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.NOT_FOUND;
import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.ProxySettings.FsMode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy's decisions, case by case, against mirrord's order and default lists. */
class PolicyTest {
  static final ProxySettings.LocalFacts FACTS =
      new ProxySettings.LocalFacts(
          Path.of("/home/dev"),
          Path.of("/work/project"),
          Path.of("/tmp"),
          Path.of("/tmp/mirrordj-session"));
  static final ProxySettings BASE = ProxySettings.defaults(FACTS);

  static FsPolicy fs(
      FsMode mode, List<String> rw, List<String> ro, List<String> local, List<String> nf) {
    return new FsPolicy(BASE.withFs(mode, rw, ro, local, nf));
  }

  @Test
  void readModeReadsRemoteWritesLocal() {
    FsPolicy p = fs(FsMode.READ, List.of(), List.of(), List.of(), List.of());
    assertEquals(REMOTE, p.decide("/app/config.yaml", false));
    assertEquals(LOCAL, p.decide("/app/config.yaml", true));
    assertEquals(LOCAL, p.decide("/etc/passwd", false), "default local list");
    assertEquals(LOCAL, p.decide("/usr/lib/python3/x.py", false));
    assertEquals(LOCAL, p.decide("/work/project/src/main.py", false), "cwd is local");
    assertEquals(LOCAL, p.decide("relative/path.txt", false), "relative paths are local");
    assertEquals(
        NOT_FOUND, p.decide("/home/dev/.kube/config", false), "default not-found under home");
    assertEquals(NOT_FOUND, p.decide("/home/dev/.config/gcloud/creds", false));
    assertEquals(LOCAL, p.decide("/", false));
  }

  @Test
  void writeModeIsRemoteBothWays() {
    FsPolicy p = fs(FsMode.WRITE, List.of(), List.of(), List.of(), List.of());
    assertEquals(REMOTE, p.decide("/app/out.log", true));
    assertEquals(REMOTE, p.decide("/app/out.log", false));
    assertEquals(LOCAL, p.decide("/tmp/x", true));
  }

  @Test
  void localModeIsAlwaysLocalAndDisablesTheLayerSide() {
    FsPolicy p = fs(FsMode.LOCAL, List.of("/app"), List.of(), List.of(), List.of("/app/secret"));
    assertFalse(p.enabled());
    assertEquals(LOCAL, p.decide("/app/secret", false));
  }

  @Test
  void localWithOverridesHonoursDefaultRemoteListAndUserPatterns() {
    FsPolicy p = fs(FsMode.LOCALWITHOVERRIDES, List.of("^/data/"), List.of(), List.of(), List.of());
    assertEquals(REMOTE, p.decide("/etc/resolv.conf", false));
    assertEquals(REMOTE, p.decide("/etc/hosts", false));
    assertEquals(LOCAL, p.decide("/etc/hosts", true), "default remote list is for reads only");
    assertEquals(LOCAL, p.decide("/app/config", false));
    assertEquals(REMOTE, p.decide("/data/x", true));
  }

  @Test
  void userListsComeBeforeDefaultsAndAreCaseInsensitive() {
    FsPolicy p =
        fs(
            FsMode.READ,
            List.of("^/etc/app\\.conf$"),
            List.of("\\.YAML$"),
            List.of("^/srv/local"),
            List.of("SECRET"));
    assertEquals(
        REMOTE, p.decide("/etc/app.conf", true), "read_write overrides the default local /etc");
    assertEquals(REMOTE, p.decide("/srv/settings.yaml", false));
    assertEquals(
        LOCAL, p.decide("/srv/settings.yaml", true), "read_only opened for writing goes local");
    assertEquals(LOCAL, p.decide("/srv/local/file", false));
    assertEquals(NOT_FOUND, p.decide("/srv/my-secret.txt", false));
    assertEquals(
        NOT_FOUND, p.decide("relative-secret", false), "not_found also applies to relative paths");
    assertFalse(p.fastPathSafe());
    assertEquals(List.of(), p.fastLocalPrefixes());
  }

  @Test
  void fastPathOnlyContainsTrulyLocalPrefixes() {
    FsPolicy p = fs(FsMode.READ, List.of(), List.of(), List.of(), List.of());
    assertTrue(p.fastLocalPrefixes().contains("/usr"));
    assertTrue(p.fastLocalPrefixes().contains("/proc"));
    assertFalse(
        p.fastLocalPrefixes().contains("/etc"),
        "/etc is decided per path (localwithoverrides reads some remotely)");
    assertTrue(p.fastLocalPrefixes().contains("/work/project"), "the working directory is local");
    FsPolicy homeCwd =
        new FsPolicy(BASE.withFs(FsMode.READ, List.of(), List.of(), List.of(), List.of()));
    assertFalse(
        new FsPolicy(
                ProxySettings.defaults(
                    new ProxySettings.LocalFacts(
                        Path.of("/home/dev"), Path.of("/home"), Path.of("/tmp"), null)))
            .fastLocalPrefixes()
            .contains("/home"),
        "a cwd above the home would hide ~/.kube");
    assertTrue(homeCwd.enabled());
  }

  static SockAddr ip(String a, int port) throws Exception {
    return SockAddr.inet(InetAddress.getByName(a), port);
  }

  @Test
  void outgoingDefaultsSendEverythingRemoteIncludingLocalhost() throws Exception {
    OutgoingPolicy p = new OutgoingPolicy(BASE);
    assertTrue(p.isRemote(true, ip("10.0.0.1", 80)));
    assertTrue(p.isRemote(false, ip("10.0.0.1", 53)));
    assertTrue(
        p.isRemote(true, ip("127.0.0.1", 5432)),
        "localhost goes to the pod unless ignore_localhost");
    assertFalse(
        p.isRemote(true, SockAddr.unix("/var/run/x.sock")), "unix streams are local unless listed");
  }

  @Test
  void outgoingSwitchesAndIgnoreLocalhost() throws Exception {
    OutgoingPolicy p =
        new OutgoingPolicy(
            BASE.withOutgoing(false, true, true, List.of(), List.of(), List.of("bear.+")));
    assertFalse(p.isRemote(true, ip("10.0.0.1", 80)), "tcp disabled");
    assertTrue(p.isRemote(false, ip("10.0.0.1", 53)));
    assertFalse(p.isRemote(false, ip("127.0.0.1", 53)), "ignore_localhost");
    assertFalse(p.isRemote(false, ip("::1", 53)));
    assertTrue(p.isRemote(true, SockAddr.unix("/tmp/bear.sock")));
    assertFalse(p.isRemote(true, SockAddr.unix("/tmp/cat.sock")));
  }

  @Test
  void localFilterKeepsMatchesLocal() throws Exception {
    OutgoingPolicy p =
        new OutgoingPolicy(
            BASE.withOutgoing(
                true,
                true,
                false,
                List.of("tcp://1.1.1.0/24:1337", "1.1.5.0/24", "google.com", ":53"),
                List.of(),
                List.of()));
    assertFalse(p.isRemote(true, ip("1.1.1.9", 1337)));
    assertTrue(p.isRemote(false, ip("1.1.1.9", 1337)), "tcp:// entry does not match udp");
    assertTrue(p.isRemote(true, ip("1.1.1.9", 1338)));
    assertFalse(p.isRemote(true, ip("1.1.5.200", 9)));
    assertFalse(p.isRemote(false, ip("8.8.8.8", 53)));
    assertTrue(p.isRemote(true, ip("142.250.1.1", 443)));
    p.remember("google.com", List.of(InetAddress.getByName("142.250.1.1")));
    assertFalse(
        p.isRemote(true, ip("142.250.1.1", 443)),
        "name entries match addresses resolved from the name");
  }

  @Test
  void remoteFilterSendsOnlyMatchesRemote() throws Exception {
    OutgoingPolicy p =
        new OutgoingPolicy(
            BASE.withOutgoing(
                true,
                true,
                false,
                List.of(),
                List.of("udp://1.1.1.0/24:1337", "svc.cluster.local:8080", "[fd00::]/8"),
                List.of()));
    assertTrue(p.isRemote(false, ip("1.1.1.1", 1337)));
    assertFalse(p.isRemote(true, ip("1.1.1.1", 1337)));
    assertTrue(p.isRemote(true, ip("fd00::5", 80)));
    p.remember("SVC.cluster.local", List.of(InetAddress.getByName("10.96.0.7")));
    assertTrue(p.isRemote(true, ip("10.96.0.7", 8080)));
    assertFalse(p.isRemote(true, ip("10.96.0.7", 8081)));
  }

  @Test
  void filterErrorsNameTheFieldAndTheSyntax() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new OutgoingPolicy(
                    BASE.withOutgoing(
                        true, true, false, List.of("sctp://1.1.1.1:1"), List.of(), List.of())));
    assertTrue(
        e.getMessage()
            .startsWith(
                "feature.network.outgoing.filter.local: 'sctp://1.1.1.1:1' is not accepted"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new OutgoingPolicy(
                BASE.withOutgoing(true, true, false, List.of(":53"), List.of(":80"), List.of())));
  }

  @Test
  void settingsFromTheResolvedConfiguration() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("mirrord", ".json");
    try {
      java.nio.file.Files.writeString(
          file,
          "{\"skip_processes\": \"bash;node\", \"feature\": {\"fs\": {\"mode\": \"localwithoverrides\","
              + " \"read_only\": [\"^/data\"]}, \"hostname\": false, \"network\": {\"dns\": false, \"outgoing\": {\"udp\": false,"
              + " \"filter\": {\"remote\": [\":8080\"]}}}}, \"internal_proxy\": {\"idle_timeout\": 9}}");
      dev.mirrordj.config.MirrordConfig c =
          dev.mirrordj.config.ConfigResolver.resolve(
                  dev.mirrordj.config.ConfigSource.file(file),
                  java.util.Map.of(),
                  java.util.Map.of(),
                  true)
              .orThrow();
      ProxySettings s = ProxySettings.from(c, FACTS);
      assertEquals(FsMode.LOCALWITHOVERRIDES, s.fsMode());
      assertEquals(List.of("^/data"), s.readOnly());
      assertFalse(s.hostname());
      assertFalse(s.dns());
      assertFalse(s.udpOutgoing());
      assertTrue(s.tcpOutgoing());
      assertEquals(List.of(":8080"), s.filterRemote());
      assertEquals(9, s.idleTimeout().toSeconds());
      assertTrue(new ProcessPolicy(s).skip("/usr/bin/node", "node"));
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void skipProcessesAndBuildTools() {
    ProcessPolicy p = new ProcessPolicy(BASE.withSkip(List.of("bash;node"), true, List.of("make")));
    assertTrue(p.skip("/usr/bin/bash", "bash -c x"));
    assertTrue(p.skip("/usr/bin/node", "node app.js"));
    assertTrue(
        p.skip("/usr/bin/x86_64-linux-gnu-gcc-12", "gcc -o a a.c"), "invoked-as name counts");
    assertTrue(p.skip("/usr/bin/make", "make"));
    assertFalse(p.skip("/usr/bin/python3.11", "python3 app.py"));
    assertFalse(p.skip("/usr/bin/nodejs-wrapper", "nodejs-wrapper"), "exact names only");
    ProcessPolicy noTools = new ProcessPolicy(BASE.withSkip(List.of(), false, List.of("make")));
    assertFalse(noTools.skip("/usr/bin/gcc", "gcc"));
    assertFalse(noTools.skip("/usr/bin/make", "make"), "extra build tools need skip_build_tools");
  }
}
