package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mirrordj.protocol.ContainerRuntime;
import dev.mirrordj.verticles.kube.AgentCommandLine;
import dev.mirrordj.verticles.kube.AgentSettings;
import dev.mirrordj.verticles.kube.ResolvedTarget;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What can be verified about conf/agent-image without a container engine: the packages exist in
 * Debian bookworm, the entrypoint is the agent Job's command, the launcher passes the Job's
 * arguments through to {@code agent}, and those arguments parse as the real {@code agent} command.
 */
class AgentImageTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path IMAGE = ROOT.resolve("conf/agent-image");
  @TempDir Path tmp;

  private static String dockerfile() throws Exception {
    return Files.readString(IMAGE.resolve("Dockerfile"));
  }

  @Test
  void entrypointIsTheCommandTheAgentJobRuns() throws Exception {
    Matcher m = Pattern.compile("(?m)^ENTRYPOINT \\[\"([^\"]+)\"\\]$").matcher(dockerfile());
    assertTrue(m.find(), "Dockerfile has an exec-form ENTRYPOINT");
    assertEquals(AgentCommandLine.ENTRYPOINT, m.group(1));
    assertTrue(
        dockerfile()
            .contains("COPY conf/agent-image/mirrord-agent " + AgentCommandLine.ENTRYPOINT));
  }

  @Test
  void copiedSourcesExistAndTheJarLandsWhereTheLauncherLooks() throws Exception {
    Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(dockerfile());
    List<String> targets = new ArrayList<>();
    while (copy.find()) {
      targets.add(copy.group(2));
      if (!copy.group(1).endsWith(".jar")) {
        assertTrue(Files.isRegularFile(ROOT.resolve(copy.group(1))), copy.group(1));
      }
    }
    assertTrue(targets.contains("/opt/mirrordj/lib/mirrord-fat.jar"), targets.toString());
    assertTrue(
        Files.readString(IMAGE.resolve("mirrord-agent"))
            .contains("/opt/mirrordj/lib/mirrord-fat.jar"));
  }

  @Test
  void everyInstalledPackageExistsInDebianBookworm() throws Exception {
    Matcher run =
        Pattern.compile("apt-get install -y --no-install-recommends ([^\\\\\\n]+)")
            .matcher(dockerfile());
    assertTrue(run.find(), "Dockerfile installs packages with apt-get");
    List<String> packages = Arrays.asList(run.group(1).trim().split("\\s+"));
    assertTrue(
        packages.containsAll(
            List.of("iptables", "nftables", "conntrack", "iproute2", "libpcap0.8")),
        packages.toString());
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/apt-cache")),
        "apt-cache not available: not a Debian host");
    for (String pkg : packages) {
      Process p =
          new ProcessBuilder("apt-cache", "show", "--no-all-versions", pkg)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), "package " + pkg + " unknown to apt: " + out);
      assertTrue(out.contains("Package: " + pkg), out);
    }
  }

  @Test
  void launcherPassesTheJobArgumentsToTheAgentCommandUnchanged() throws Exception {
    // A stand-in `java` first on PATH records the argv the launcher hands to the JVM.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path argv = tmp.resolve("argv");
    Path fakeJava = bin.resolve("java");
    Files.writeString(
        fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + argv + "\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> jobArgs = jobArguments();
    List<String> cmd = new ArrayList<>(List.of("sh", IMAGE.resolve("mirrord-agent").toString()));
    cmd.addAll(jobArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("MIRRORD_AGENT_JAR", "/opt/test/agent.jar");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> recorded = Files.readAllLines(argv);
    int jar = recorded.indexOf("-jar");
    assertTrue(jar >= 0, recorded.toString());
    assertEquals("/opt/test/agent.jar", recorded.get(jar + 1));
    assertEquals("agent", recorded.get(jar + 2));
    assertEquals(jobArgs, recorded.subList(jar + 3, recorded.size()));
    assertTrue(
        recorded.containsAll(
            List.of("-XX:+UseSerialGC", "-Xms4m", "-XX:MaxRAMPercentage=30", "-Xss256k")),
        "default JVM flags for the 100Mi limit: " + recorded);
  }

  @Test
  void jobArgumentsParseAsTheRealAgentCommand() {
    CommandLine cli = Main.commandLine();
    assumeTrue(
        cli.getSubcommands().containsKey("agent"),
        "the `agent` subcommand is not registered in this build yet (it is added with the agent)");
    for (List<String> args :
        List.of(
            jobArguments(),
            AgentCommandLine.targetless(AgentSettings.withDefaults(), 30001),
            AgentCommandLine.ephemeral(AgentSettings.withDefaults(), 30002))) {
      List<String> full = new ArrayList<>(List.of("agent"));
      full.addAll(args);
      cli.parseArgs(full.toArray(String[]::new)); // throws ParameterException on any mismatch
    }
  }

  /**
   * The launcher as the image runs it, outside a container: a jar whose manifest names this test's
   * class path stands in for the fat jar, and the real guard + worker start with the launcher's
   * memory flags, serve a client and exit.
   */
  @Test
  void launcherRunsTheRealAgentWithItsMemoryFlagsInGuardAndWorker() throws Exception {
    Path jar = manifestJar();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "sh",
                IMAGE.resolve("mirrord-agent").toString(),
                "--listen",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--targetless")
            .redirectError(tmp.resolve("err").toFile());
    pb.environment().put("MIRRORD_AGENT_JAR", jar.toString());
    pb.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    Process guard = pb.start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(guard.getInputStream()));
      assertEquals(
          "agent ready - version " + VersionProvider.version(),
          out.readLine(),
          Files.readString(tmp.resolve("err")));
      ProcessHandle worker = guard.toHandle().children().findFirst().orElseThrow();
      for (ProcessHandle p : List.of(guard.toHandle(), worker)) {
        String cmdline =
            Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        assertTrue(
            cmdline.contains("-XX:+UseSerialGC")
                && cmdline.contains("-Xss256k")
                && cmdline.contains("-XX:MaxRAMPercentage=30")
                && cmdline.contains("-XX:TieredStopAtLevel=1"),
            cmdline);
        assertTrue(
            Files.readString(Path.of("/proc/" + p.pid() + "/environ"))
                .contains("MALLOC_ARENA_MAX=2"));
      }
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        var c =
            dev.mirrordj.protocol.client.AgentClient.connect(
                    vertx, "127.0.0.1", port, new dev.mirrordj.protocol.client.AgentClientOptions())
                .await();
        assertTrue(c.ping().await() > 0);
        c.close().await();
      } finally {
        vertx.close().await();
      }
      assertTrue(guard.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, guard.exitValue(), Files.readString(tmp.resolve("err")));
      assertEquals(
          null, out.readLine(), "stdout carries the ready line only (JVM warnings go to stderr)");
    } finally {
      guard.destroyForcibly();
    }
  }

  /** make-cds-archive.sh on the real fat jar, and the launcher's worker mapping the archive. */
  /**
   * A jar that runs dev.mirrordj.cli.Main from this test's class path (stand-in for the fat jar).
   */
  private Path manifestJar() throws Exception {
    StringBuilder cp = new StringBuilder();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      cp.append(Path.of(e).toAbsolutePath().toUri()).append(' ');
    }
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, Main.class.getName());
    m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, cp.toString().trim());
    Path jar = tmp.resolve("agent.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
      // the manifest is the whole jar
    }
    return jar;
  }

  private static List<String> jobArguments() {
    var container = new ContainerBuilder().withName("app").build();
    ResolvedTarget target =
        new ResolvedTarget(
            "ns",
            "web",
            "node",
            container,
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ContainerRuntime.CONTAINERD,
            null);
    return AgentCommandLine.targeted(AgentSettings.withDefaults(), 41000, target);
  }
}
