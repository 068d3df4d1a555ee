package dev.mirrordj.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Command line for scripts (the demo): {@code up} starts a cluster with one pod and stays in the
 * foreground until SIGTERM/SIGINT, which tears everything down; {@code down} stops an {@code up}
 * process and sweeps leftovers of dead runs.
 *
 * <pre>
 * up   [--state FILE] [--name demo] [--env K=V]... [--file /abs/path=CONTENT]... [--http-port 80] [--http-body TEXT]
 * down [--owner PID]
 * </pre>
 *
 * {@code up} prints {@code KEY=VALUE} lines (pod_pid, pod_name, pod_ip, pod_netns, pod_hostname,
 * cluster_netns, dns_ip, echo_name, echo_ip, echo_port, http_name, http_ip, http_port, owner_pid)
 * and then {@code ready}; with {@code --state} the same lines are written to FILE (atomically, once
 * everything is up), so a shell can wait for the file and {@code source} it.
 */
public final class HarnessMain {
  private HarnessMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("up") || args[0].equals("down"))) {
      usage("expected 'up' or 'down' as the first argument");
    }
    if (!Root.isRoot()) {
      usage("needs root (network and mount namespaces)");
    }
    if (args[0].equals("up")) {
      up(List.of(args).subList(1, args.length));
    } else {
      down(List.of(args).subList(1, args.length));
    }
  }

  private static void up(List<String> args) throws Exception {
    String name = "demo";
    Path state = null;
    int httpPort = 80;
    String httpBody = "hello from the demo pod\n";
    Map<String, String> env = new LinkedHashMap<>(Map.of("DEMO_GREETING", "hello-from-the-pod"));
    Map<String, String> files =
        new LinkedHashMap<>(Map.of("/app/message.txt", "this file exists only in the pod\n"));
    for (int i = 0; i < args.size(); i++) {
      String opt = args.get(i);
      String val = i + 1 < args.size() ? args.get(++i) : usage("option " + opt + " needs a value");
      switch (opt) {
        case "--name" -> name = val;
        case "--state" -> state = Path.of(val);
        case "--http-port" -> httpPort = Integer.parseInt(val);
        case "--http-body" -> httpBody = val;
        case "--env" -> env.put(before(val, '='), after(val, '='));
        case "--file" -> files.put(before(val, '='), after(val, '='));
        default ->
            usage(
                "unknown option "
                    + opt
                    + " (accepted: --state --name --env --file --http-port --http-body)");
      }
    }
    PodSpec spec = PodSpec.named(name).httpServer(httpPort, httpBody);
    env.forEach(spec::env);
    files.forEach(spec::file);
    Cluster cluster = Cluster.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.close();
                  stopped.countDown();
                },
                "harness-main-down"));
    Pod pod = cluster.addPod(spec);
    String out = describe(cluster, pod, httpPort);
    if (state != null) {
      Path tmp = Files.writeString(state.resolveSibling(state.getFileName() + ".tmp"), out);
      Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.print(out);
    System.out.println("ready");
    System.out.flush();
    stopped.await();
  }

  private static String describe(Cluster c, Pod p, int httpPort) {
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("pod_pid", p.pid());
    kv.put("pod_name", p.name());
    kv.put("pod_ip", p.ip());
    kv.put("pod_hostname", p.hostname());
    kv.put("pod_netns", p.netnsName());
    kv.put("pod_http_port", httpPort);
    kv.put("cluster_netns", c.netnsName());
    kv.put("dns_ip", c.dnsIp());
    kv.put("echo_name", Cluster.ECHO_NAME);
    kv.put("echo_ip", c.echoIp());
    kv.put("echo_port", Cluster.ECHO_PORT);
    kv.put("http_name", Cluster.HTTP_NAME);
    kv.put("http_ip", c.httpIp());
    kv.put("http_port", Cluster.HTTP_PORT);
    kv.put("owner_pid", ProcessHandle.current().pid());
    StringBuilder sb = new StringBuilder();
    kv.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private static void down(List<String> args) throws IOException {
    List<String> rest = new ArrayList<>(args);
    if (rest.size() == 2 && rest.get(0).equals("--owner")) {
      long pid = Long.parseLong(rest.get(1));
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  System.err.println(
                      "harness owner " + pid + " did not stop in 30 s; sweeping anyway: " + e);
                }
              });
    } else if (!rest.isEmpty()) {
      usage("down accepts only --owner PID");
    }
    int removed = Sweeper.sweepOrphans();
    System.out.println("swept " + removed + " leftover namespace(s)");
  }

  private static String before(String s, char c) {
    int i = s.indexOf(c);
    return i < 0 ? usage("expected KEY=VALUE, got '" + s + "'") : s.substring(0, i);
  }

  private static String after(String s, char c) {
    return s.substring(s.indexOf(c) + 1);
  }

  private static String usage(String problem) {
    System.err.println(
        "harness: "
            + problem
            + "\nusage: up [--state FILE] [--name NAME] [--env K=V]... [--file /PATH=CONTENT]..."
            + " [--http-port N] [--http-body TEXT] | down [--owner PID]");
    System.exit(2);
    return null;
  }
}
