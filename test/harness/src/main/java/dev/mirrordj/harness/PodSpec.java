package dev.mirrordj.harness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a pod is made of: name, hostname, environment, pod-only files and the main command. Build
 * one with {@link #named} and pass it to {@link Cluster#addPod}.
 *
 * <p>Defaults: hostname = name; the environment holds a Kubernetes-like set (PATH, HOME, HOSTNAME,
 * KUBERNETES_SERVICE_HOST/PORT) plus what {@link #env} adds; the command is {@code sleep infinity}.
 * Files may be placed under /etc (the pod has a private copy) or under any top-level directory the
 * host does not have (e.g. /app, /data) or under /tmp, /srv, /mnt, /run (private and empty in the
 * pod).
 */
public final class PodSpec {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");

  private final String name;
  private String hostname;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, PodFile> files = new LinkedHashMap<>();
  private List<String> command = List.of("sleep", "infinity");
  private String workdir = "/";
  private Integer readyPort;

  /** A file to create in the pod's root. */
  public record PodFile(byte[] content, int mode) {}

  private PodSpec(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("pod name '" + name + "' must match " + NAME.pattern());
    }
    this.name = name;
    this.hostname = name;
  }

  /**
   * A spec for a pod called {@code name} (lowercase letters, digits, '-'; at most 20 characters).
   */
  public static PodSpec named(String name) {
    return new PodSpec(name);
  }

  public PodSpec hostname(String hostname) {
    this.hostname = Objects.requireNonNull(hostname);
    return this;
  }

  /** Adds or replaces one environment variable of the pod's main process. */
  public PodSpec env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Places a pod-only file at absolute path {@code path} with mode 0644. */
  public PodSpec file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  /** Places a pod-only file at absolute path {@code path} with the given permission bits. */
  public PodSpec file(String path, byte[] content, int mode) {
    if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
      throw new IllegalArgumentException("pod file path must be absolute without '..': " + path);
    }
    files.put(path, new PodFile(content.clone(), mode));
    return this;
  }

  /** The main command (argv); resolved with the pod's PATH inside the pod's root. */
  public PodSpec command(String... argv) {
    this.command = List.of(argv);
    return this;
  }

  public PodSpec workdir(String dir) {
    this.workdir = dir;
    return this;
  }

  /**
   * Makes the pod an HTTP server on {@code port} (dual stack: IPv4 and IPv6) answering every GET
   * with {@code body} (the harness's own services script, copied into the pod at
   * /.mdj/services.py). {@link Cluster#addPod} then waits until it listens.
   */
  public PodSpec httpServer(int port, String body) {
    this.command =
        new ArrayList<>(
            List.of(
                "python3",
                "/.mdj/services.py",
                "--http",
                "[::]:" + port,
                "--body",
                body,
                "--name",
                name));
    this.readyPort = port;
    return this;
  }

  /** {@link Cluster#addPod} waits until something in the pod listens on this TCP port. */
  public PodSpec readyWhenListening(int port) {
    this.readyPort = port;
    return this;
  }

  public String name() {
    return name;
  }

  public String hostname() {
    return hostname;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  public Map<String, PodFile> files() {
    return Map.copyOf(files);
  }

  public List<String> command() {
    return List.copyOf(command);
  }

  public String workdir() {
    return workdir;
  }

  public Integer readyPort() {
    return readyPort;
  }
}
