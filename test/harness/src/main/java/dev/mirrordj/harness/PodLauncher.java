package dev.mirrordj.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one pod: a network namespace wired into the cluster bridge, then the pod command under
 * {@code pod-launch.sh} in fresh mount and UTS namespaces with a private root (see that script).
 */
final class PodLauncher {
  /**
   * Host tools by absolute path: the pod's PATH (its own environment) must not decide which binary
   * runs.
   */
  private static final String IP = "/usr/sbin/ip";

  private static final String UNSHARE = "/usr/bin/unshare";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Cluster cluster;

  PodLauncher(Cluster cluster) {
    this.cluster = cluster;
  }

  Pod launch(PodSpec spec, int index, String ip, String ip6) {
    NamedNetns netns = NamedNetns.create(cluster.runId() + "-p-" + spec.name());
    try {
      wire(netns, index, ip, ip6);
      Path podStage = cluster.stage().resolve("pods").resolve(spec.name());
      Map<String, String> env = environment(spec);
      Map<String, byte[]> files = stageFiles(spec, podStage.resolve("files"), ip);
      Path root = Files.createDirectories(podStage.resolve("root"));
      Path log = podStage.resolve("pod.log");
      List<String> argv =
          new ArrayList<>(
              List.of(
                  IP,
                  "netns",
                  "exec",
                  netns.name(),
                  UNSHARE,
                  "--mount",
                  "--uts",
                  "--",
                  "/bin/sh",
                  cluster.stage().resolve("pod-launch.sh").toString(),
                  root.toString(),
                  podStage.toString(),
                  spec.hostname(),
                  spec.workdir()));
      argv.addAll(spec.command());
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().clear();
      pb.environment().putAll(env);
      Process process = pb.start();
      Pod pod = new Pod(spec, ip, ip6, netns, process, env, files, log);
      Poll.until(
          "pod " + spec.name() + " root to be ready",
          START_TIMEOUT,
          () -> {
            pod.requireAlive();
            return Files.exists(pod.root().resolve(".mdj/ready"));
          });
      if (spec.readyPort() != null) {
        pod.awaitListening(spec.readyPort(), START_TIMEOUT);
      }
      return pod;
    } catch (IOException | RuntimeException e) {
      netns.destroy();
      if (e instanceof HarnessException he) {
        throw he;
      }
      throw new HarnessException("cannot start pod " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * veth: "vp<index>" on the cluster bridge, "eth0" in the pod with the pod's address; no default
   * route.
   */
  private void wire(NamedNetns netns, int index, String ip, String ip6) {
    String hostSide = "vp" + index;
    cluster
        .netns()
        .ip("link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", netns.name());
    cluster.netns().ip("link", "set", hostSide, "master", Cluster.BRIDGE, "up");
    netns.ip("addr", "add", ip + "/24", "dev", "eth0");
    netns.ip("addr", "add", ip6 + "/64", "dev", "eth0", "nodad");
    netns.ip("link", "set", "eth0", "up");
  }

  private Map<String, String> environment(PodSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOME", "/root");
    env.put("HOSTNAME", spec.hostname());
    env.put("KUBERNETES_SERVICE_HOST", cluster.bridgeIp());
    env.put("KUBERNETES_SERVICE_PORT", "443");
    env.putAll(spec.env());
    return env;
  }

  /**
   * Writes every pod-only file under {@code dir} (copied onto the pod root by the launch script).
   */
  private Map<String, byte[]> stageFiles(PodSpec spec, Path dir, String ip) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("/etc/hostname", (spec.hostname() + "\n").getBytes());
    files.put(
        "/etc/hosts",
        ("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
                + ip
                + "\t"
                + spec.hostname()
                + "\n")
            .getBytes());
    files.put(
        "/etc/resolv.conf",
        ("nameserver "
                + cluster.dnsIp()
                + "\nsearch "
                + String.join(" ", Cluster.SEARCH_DOMAINS)
                + "\noptions ndots:5\n")
            .getBytes());
    spec.files().forEach((path, f) -> files.put(path, f.content()));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      PodSpec.PodFile declared = spec.files().get(e.getKey());
      write(dir, e.getKey(), e.getValue(), declared == null ? 0644 : declared.mode());
    }
    try (InputStream script = PodLauncher.class.getResourceAsStream("services.py")) {
      write(dir, "/.mdj/services.py", script.readAllBytes(), 0755);
    }
    return files;
  }

  private static void write(Path dir, String podPath, byte[] content, int mode) throws IOException {
    Path target = dir.resolve(podPath.substring(1));
    Files.createDirectories(target.getParent());
    Files.write(target, content);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(modeString(mode)));
  }

  private static String modeString(int mode) {
    String chars = "rwxrwxrwx";
    StringBuilder sb = new StringBuilder();
    for (int bit = 8; bit >= 0; bit--) {
      sb.append((mode & (1 << bit)) != 0 ? chars.charAt(8 - bit) : '-');
    }
    return sb.toString();
  }
}
