package dev.mirrordj.e2e.incoming;

import static dev.mirrordj.e2e.incoming.IncomingRunE2ETest.POD_BODY;

import dev.mirrordj.e2e.incoming.LoadGenerator.Result;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.ExecResult;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fault scenarios too long or too invasive for CI, run by {@code bench/faults.sh} (never by the
 * suite: the class name does not end in Test): F3 agent memory cap (cgroup v1 memory limit on the
 * worker), F6 partition of the tunnel between run and its agent (5 s, a long one, 30 % loss; by
 * iptables DROP on that one loopback port, so nothing else on the machine is touched), F9 mirror
 * overload, F12 chaos loop. Each runs through {@code run} on a harness pod under the same open-loop
 * load as the CI fault tests, writes one JSON line and a markdown row, and checks the pod
 * invariants at its end. Durations come from {@code -Dmirrordj.faults.seconds} (the load phase of
 * each scenario, default 20); {@code -Dmirrordj.faults.only} picks scenarios; {@code
 * -Dmirrordj.faults.out} is the report directory.
 */
class FaultBench {
  private static final AtomicInteger PODS = new AtomicInteger();
  private static final int RATE = 30;

  private Cluster cluster;
  private Path work;
  private final List<String> jsonLines = new ArrayList<>();
  private final List<String> rows = new ArrayList<>();

  @Test
  void run() throws Exception {
    Root.requireRoot();
    int seconds = Integer.getInteger("mirrordj.faults.seconds", 20);
    int longPartition = Integer.getInteger("mirrordj.faults.longPartition", 60);
    List<String> only =
        Arrays.asList(System.getProperty("mirrordj.faults.only", "F3 F6 F9 F12").split("[ ,]+"));
    Path out = Path.of(System.getProperty("mirrordj.faults.out", "target/faults")).toAbsolutePath();
    Files.createDirectories(out);
    work = Files.createTempDirectory("mirrordj-faults");
    cluster = Cluster.start();
    try {
      if (only.contains("F6")) scenario("F6", () -> f6(seconds, longPartition));
      if (only.contains("F12")) scenario("F12", () -> f12(seconds * 3));
      if (only.contains("F9")) scenario("F9", () -> f9(seconds));
      if (only.contains("F3")) scenario("F3", () -> f3(seconds));
    } finally {
      cluster.close();
      Files.write(out.resolve("faults.jsonl"), jsonLines);
      List<String> md = new ArrayList<>();
      md.add("# Fault scenarios (bench/faults.sh)");
      md.add("");
      md.add(
          "Load phase " + seconds + " s per scenario, " + RATE + " req/s open loop, 50 % matched.");
      md.add("");
      md.add("| id | pass | measured |");
      md.add("|---|---|---|");
      md.addAll(rows);
      Files.write(out.resolve("faults.md"), md);
      System.out.println(String.join("\n", md));
    }
  }

  private interface Scenario {
    Map<String, Object> run() throws Exception;
  }

  private void scenario(String id, Scenario s) {
    Map<String, Object> m;
    try {
      m = s.run();
    } catch (Throwable e) {
      m = new LinkedHashMap<>();
      m.put("pass", false);
      m.put("error", e.toString().replace('"', '\''));
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("id", id);
    line.putAll(m);
    StringBuilder j = new StringBuilder("{");
    for (var e : line.entrySet()) {
      if (j.length() > 1) j.append(", ");
      Object v = e.getValue();
      j.append('"').append(e.getKey()).append("\": ");
      j.append(v instanceof Number || v instanceof Boolean ? v : "\"" + v + "\"");
    }
    jsonLines.add(j.append('}').toString());
    rows.add("| " + id + " | " + line.get("pass") + " | " + m + " |");
    System.out.println(jsonLines.get(jsonLines.size() - 1));
  }

  // ---- F6: partition of the tunnel between run and its agent ----

  private Map<String, Object> f6(int seconds, int longPartition) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    Session s = session("f6", 0);
    try (s) {
      int agentPort = agentPort(s.pod);
      m.put("agent_port", agentPort);
      // 5 s partition: the session survives, unmatched traffic is untouched
      List<Result> r5 = partition(s, agentPort, 5, "DROP", seconds);
      m.put("p5_requests", r5.size());
      m.put("p5_unmatched_failed", unmatchedFailed(r5));
      m.put("p5_matched_failed", r5.stream().filter(r -> r.matched() && !r.ok()).count());
      m.put("p5_session_survived", s.run.alive());
      // 30 % loss for the load phase: no corruption, requests complete, slower
      List<Result> loss = partition(s, agentPort, seconds, "LOSS", seconds);
      m.put("loss_requests", loss.size());
      m.put("loss_failed", loss.stream().filter(r -> !r.ok()).count());
      m.put("loss_matched_p99_ms", p99(loss.stream().filter(Result::matched).toList()));
      m.put("loss_session_survived", s.run.alive());
      // long partition: the session ends loudly (ping timeout), the pod gets its port back
      List<Result> rl = partition(s, agentPort, longPartition, "DROP", longPartition);
      m.put("long_s", longPartition);
      m.put("long_unmatched_failed", unmatchedFailed(rl));
      m.put("long_session_ended", !s.run.alive());
      m.put("long_loud", s.run.output().contains("lost the connection to the agent"));
    }
    boolean undisturbed = undisturbed(s.pod, s.port);
    m.put("invariants", undisturbed);
    m.put(
        "pass",
        undisturbed
            && m.get("p5_unmatched_failed").equals(0L)
            && Boolean.TRUE.equals(m.get("p5_session_survived"))
            && m.get("long_unmatched_failed").equals(0L));
    return m;
  }

  /**
   * Drops (or with LOSS drops 30 % of) the packets of the run↔agent connection on loopback for
   * {@code seconds} while the load runs {@code loadSeconds}; the rule is removed on every path.
   */
  private List<Result> partition(
      Session s, int agentPort, int seconds, String kind, int loadSeconds) throws Exception {
    List<String> match =
        kind.equals("LOSS")
            ? List.of("-m", "statistic", "--mode", "random", "--probability", "0.3", "-j", "DROP")
            : List.of("-j", "DROP");
    List<List<String>> rules = new ArrayList<>();
    for (String dir : List.of("--dport", "--sport")) {
      List<String> r =
          new ArrayList<>(List.of("INPUT", "-i", "lo", "-p", "tcp", dir, "" + agentPort));
      r.addAll(match);
      rules.add(r);
    }
    try (LoadGenerator load =
        LoadGenerator.start(cluster, s.dir, s.pod, s.port, RATE, loadSeconds + 4, "/f6-")) {
      Thread.sleep(2000);
      try {
        for (List<String> r : rules) iptables("-I", r);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      } finally {
        for (List<String> r : rules) iptables("-D", r);
      }
      return load.finish();
    }
  }

  private static void iptables(String op, List<String> rule) {
    List<String> argv = new ArrayList<>(List.of("iptables", op));
    argv.addAll(rule);
    exec(argv.toArray(String[]::new));
  }

  // ---- F12: chaos loop ----

  private Map<String, Object> f12(int seconds) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    Random rnd = new Random(12);
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "f12");
    Path cfg = filtered(dir, pod, port);
    List<Long> kills = new ArrayList<>();
    List<String> what = new ArrayList<>();
    List<ProcessHandle> programs = new ArrayList<>();
    BackgroundRun run = null;
    List<Result> results;
    try (LoadGenerator load =
        LoadGenerator.start(cluster, dir, pod, port, RATE, seconds, "/f12-")) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds - 5);
      while (System.nanoTime() < end) {
        if (run == null || !run.alive()) {
          if (run != null) run.close();
          run = BackgroundRun.start(dir, cfg, app(dir, port));
          awaitSteal(run, pod, port, 120);
          programs.addAll(run.handle().descendants().toList());
        }
        Thread.sleep(5000 + rnd.nextInt(5000));
        String victim = List.of("worker", "run", "program").get(rnd.nextInt(3));
        ProcessHandle p =
            switch (victim) {
              case "worker" -> agentWorker(pod);
              case "run" -> run.handle();
              default ->
                  run.handle()
                      .descendants()
                      .filter(d -> d.info().commandLine().orElse("").contains("fault_app.py"))
                      .findFirst()
                      .orElse(null);
            };
        if (p == null) continue;
        kills.add(System.currentTimeMillis());
        what.add(victim);
        p.destroyForcibly();
        if (victim.equals("run")) {
          Thread.sleep(1000);
          run = null; // its program is an orphan now: killed at the end
        }
      }
      results = load.finish();
    } finally {
      if (run != null) run.close();
      programs.forEach(ProcessHandle::destroyForcibly);
    }
    List<Result> unmatched = results.stream().filter(r -> !r.matched()).toList();
    long allowed =
        unmatched.stream().filter(r -> !r.ok() && kills.stream().anyMatch(r::inFlightAt)).count();
    long failed = unmatched.stream().filter(r -> !r.ok()).count() - allowed;
    double success =
        unmatched.isEmpty() ? 0 : 100.0 * (unmatched.size() - failed) / unmatched.size();
    m.put("seconds", seconds);
    m.put("kills", what.toString().replace(" ", ""));
    m.put("requests", results.size());
    m.put("unmatched", unmatched.size());
    m.put("unmatched_failed_in_flight_at_kill", allowed);
    m.put("unmatched_failed_other", failed);
    m.put("unmatched_success_pct", Math.round(success * 1000) / 1000.0);
    boolean undisturbed = undisturbed(pod, port);
    m.put("invariants", undisturbed);
    m.put("pass", undisturbed && success >= 99.9);
    return m;
  }

  // ---- F9: mirror overload ----

  private Map<String, Object> f9(int seconds) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    int rate = 200;
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, "f9");
    List<Result> base;
    try (LoadGenerator load = LoadGenerator.start(cluster, dir, pod, port, rate, seconds, "/f9-")) {
      base = load.finish();
    }
    Path cfg = IncomingRunE2ETest.config(dir, pod, "\"mirror\"");
    List<Result> mirrored;
    long rss;
    String output;
    try (BackgroundRun run = BackgroundRun.start(dir, cfg, app(dir, port))) {
      IncomingRunE2ETest.awaitTrue(
          run, "the program listens", () -> run.stdout().contains("listening"));
      Thread.sleep(2000);
      try (LoadGenerator load =
          LoadGenerator.start(cluster, dir, pod, port, rate, seconds, "/f9-")) {
        mirrored = load.finish();
      }
      rss = rssKib(agentWorker(pod).pid());
      output = run.output();
      run.terminate(60);
    }
    Matcher loss = Pattern.compile("lost (\\d+) bytes").matcher(output);
    long lost = 0;
    while (loss.find()) lost += Long.parseLong(loss.group(1));
    double p99Base = p99(base);
    double p99Mirror = p99(mirrored);
    m.put("rate", rate);
    m.put("requests", mirrored.size());
    m.put("failed", mirrored.stream().filter(r -> !r.ok()).count());
    m.put("pod_p99_ms_without", p99Base);
    m.put("pod_p99_ms_with", p99Mirror);
    m.put("p99_inflation", p99Base == 0 ? 0 : Math.round(100.0 * p99Mirror / p99Base) / 100.0);
    m.put("agent_worker_rss_kib", rss);
    m.put("lost_bytes_reported", lost);
    boolean undisturbed = undisturbed(pod, port);
    m.put("invariants", undisturbed);
    m.put(
        "pass",
        undisturbed
            && mirrored.stream().allMatch(Result::ok)
            && p99Mirror <= Math.max(1.1 * p99Base, p99Base + 5));
    return m;
  }

  // ---- F3: agent memory cap ----

  private Map<String, Object> f3(int seconds) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    Session s = session("f3", 0);
    Path cg = Path.of("/sys/fs/cgroup/memory/mirrordj-f3-" + ProcessHandle.current().pid());
    try (s) {
      ProcessHandle worker = agentWorker(s.pod);
      try (LoadGenerator warm =
          LoadGenerator.start(cluster, s.dir, s.pod, s.port, RATE, 5, "/f3-warm-")) {
        warm.finish();
      }
      long rss = rssKib(worker.pid());
      long limit = rss * 1024 * 8 / 10;
      Files.createDirectories(cg);
      Files.writeString(cg.resolve("cgroup.procs"), "" + worker.pid());
      String set = "ok";
      try {
        Files.writeString(cg.resolve("memory.limit_in_bytes"), "" + limit);
      } catch (IOException busy) {
        // v1 refuses a limit below what it cannot reclaim: cap at the current use instead
        limit = rss * 1024;
        set = "at-rss";
        Files.writeString(cg.resolve("memory.limit_in_bytes"), "" + limit);
      }
      m.put("worker_rss_kib", rss);
      m.put("limit_kib", limit / 1024);
      m.put("limit_set", set);
      List<Result> results;
      long start = System.currentTimeMillis();
      try (LoadGenerator load =
          LoadGenerator.start(cluster, s.dir, s.pod, s.port, RATE, seconds, "/f3-")) {
        results = load.finish();
      }
      m.put("worker_survived", worker.isAlive());
      m.put("failcnt", Files.readString(cg.resolve("memory.failcnt")).strip());
      m.put("oom_kill", oomKills(cg));
      m.put("requests", results.size());
      m.put("unmatched_failed", unmatchedFailed(results));
      m.put("failed_total", results.stream().filter(r -> !r.ok()).count());
      m.put("session_alive", s.run.alive());
      m.put("elapsed_ms", System.currentTimeMillis() - start);
    } finally {
      for (String pid :
          Files.exists(cg) ? Files.readAllLines(cg.resolve("cgroup.procs")) : List.<String>of()) {
        Files.writeString(Path.of("/sys/fs/cgroup/memory/cgroup.procs"), pid);
      }
      if (Files.exists(cg)) exec("rmdir", cg.toString());
    }
    boolean undisturbed = undisturbed(s.pod, s.port);
    m.put("invariants", undisturbed);
    m.put("pass", undisturbed);
    return m;
  }

  private static String oomKills(Path cg) {
    try {
      for (String l : Files.readAllLines(cg.resolve("memory.oom_control"))) {
        if (l.startsWith("oom_kill ")) return l.substring(9);
      }
    } catch (IOException e) {
      return "?";
    }
    return "?";
  }

  // ---- shared ----

  /** A pod, a filtered steal through run with the fault app; closing ends run and its program. */
  private final class Session implements AutoCloseable {
    final Pod pod;
    final int port;
    final Path dir;
    final BackgroundRun run;
    final List<ProcessHandle> children;

    Session(Pod pod, int port, Path dir, BackgroundRun run) {
      this.pod = pod;
      this.port = port;
      this.dir = dir;
      this.run = run;
      this.children = run.handle().descendants().toList();
    }

    @Override
    public void close() {
      run.close();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private Session session(String name, int slow) throws Exception {
    int port = IncomingRunE2ETest.freeHostPort();
    Pod pod = pod(port);
    Path dir = Files.createTempDirectory(work, name);
    BackgroundRun run = BackgroundRun.start(dir, filtered(dir, pod, port), app(dir, port));
    try {
      awaitSteal(run, pod, port, 120);
      return new Session(pod, port, dir, run);
    } catch (Throwable e) {
      run.close();
      throw e;
    }
  }

  private boolean undisturbed(Pod pod, int port) {
    try {
      PodInvariants.assertUndisturbed(cluster, pod, port, POD_BODY, 60);
      return true;
    } catch (Throwable e) {
      System.out.println("invariants: " + e.getMessage());
      return false;
    }
  }

  private void awaitSteal(BackgroundRun run, Pod pod, int port, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline && run.alive()) {
      ExecResult r =
          cluster.exec(
              "curl",
              "-s",
              "-m",
              "5",
              "-H",
              "X-User: alice",
              "http://" + pod.ip() + ":" + port + "/p");
      if (r.ok() && r.stdout().startsWith("local ")) return;
      Thread.sleep(200); // polling interval
    }
    throw new AssertionError("the steal did not start\n" + run.output());
  }

  private static long unmatchedFailed(List<Result> results) {
    return results.stream().filter(r -> !r.matched() && !r.ok()).count();
  }

  private static double p99(List<Result> results) {
    long[] lat =
        results.stream()
            .filter(Result::ok)
            .mapToLong(r -> r.end() - r.intendedStart())
            .sorted()
            .toArray();
    return lat.length == 0
        ? 0
        : lat[Math.min(lat.length - 1, (int) Math.ceil(lat.length * 0.99) - 1)];
  }

  private static int agentPort(Pod pod) {
    long pid = agentWorker(pod).pid();
    String ss = exec("ss", "-ltnpH");
    for (String l : ss.split("\n")) {
      if (l.contains("pid=" + pid + ",")) {
        String local = l.trim().split("\\s+")[3];
        return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError("no listening port of the agent worker " + pid + "\n" + ss);
  }

  private static ProcessHandle agentWorker(Pod pod) {
    String arg = "--target-pid " + pod.pid();
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              return cmd.contains("--worker") && (cmd.endsWith(arg) || cmd.contains(arg + " "));
            })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no agent worker for pid " + pod.pid()));
  }

  private static long rssKib(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  private Pod pod(int port) {
    return cluster.addPod(PodSpec.named("fb" + PODS.incrementAndGet()).httpServer(port, POD_BODY));
  }

  private static Path filtered(Path dir, Pod pod, int port) throws IOException {
    return IncomingRunE2ETest.config(
        dir,
        pod,
        "{\"mode\": \"steal\", \"http_filter\": {\"header_filter\": \"^x-user: alice$\","
            + " \"ports\": ["
            + port
            + "]}}");
  }

  private static List<String> app(Path dir, int port) throws IOException {
    return List.of(
        "python3", FaultsUnderLoadE2ETest.copy(dir, "fault_app.py").toString(), "" + port, "0");
  }

  private static String exec(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(String.join(" ", argv) + ": " + e, e);
    }
  }
}
