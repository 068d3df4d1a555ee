package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.Cluster;
import dev.mirrordj.harness.Pod;
import dev.mirrordj.harness.PodSpec;
import dev.mirrordj.harness.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs LD_PRELOAD cannot see, under `run` on a harness pod with the real agent: `run` picks the
 * seccomp layer by itself for a static Go build, a cgo Go build and a static C program, and their
 * raw system calls reach the pod (files, listing, stat, hostname, DNS through Go's own resolver,
 * HTTP, TCP and UDP), also from 32 goroutines at once.
 */
class SeccompProgramsOnPodE2ETest {
  @TempDir static Path work;
  static Cluster cluster;
  static Pod pod;
  static AgentProcess agent;
  static Path config;

  static final String PROBE =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"io\"",
          "    \"net\"",
          "    \"net/http\"",
          "    \"os\"",
          "    \"sort\"",
          "    \"strings\"",
          "    \"sync\"",
          "    \"time\"",
          ")",
          "",
          "func main() {",
          "    echo, web := os.Args[1], os.Args[2]",
          "    fmt.Println(\"env=\" + os.Getenv(\"POD_GREETING\"))",
          "    b, err := os.ReadFile(\"/app/data.txt\")",
          "    fmt.Printf(\"file=%s err=%v\\n\", strings.TrimSpace(string(b)), err)",
          "    st, err := os.Stat(\"/app/data.txt\")",
          "    if err == nil { fmt.Printf(\"size=%d\\n\", st.Size()) }",
          "    ents, err := os.ReadDir(\"/app/dir\")",
          "    names := []string{}",
          "    for _, e := range ents { names = append(names, e.Name()) }",
          "    sort.Strings(names)",
          "    fmt.Printf(\"dir=%s err=%v\\n\", strings.Join(names, \",\"), err)",
          "    err = os.WriteFile(\"/app/\" + os.Args[3], []byte(\"written by go\\n\"), 0644)",
          "    fmt.Printf(\"write-err=%v\\n\", err)",
          "    h, _ := os.Hostname()",
          "    fmt.Println(\"hostname=\" + h)",
          "    addrs, err := net.LookupHost(\"" + Cluster.ECHO_NAME + "\")",
          "    fmt.Printf(\"dns=%s err=%v\\n\", strings.Join(addrs, \",\"), err)",
          "    resp, err := http.Get(\"http://" + Cluster.HTTP_NAME + "/\")",
          "    if err == nil {",
          "        body, _ := io.ReadAll(resp.Body); resp.Body.Close()",
          "        fmt.Printf(\"http=%s\\n\", strings.TrimSpace(string(body)))",
          "    } else { fmt.Printf(\"http-err=%v\\n\", err) }",
          "    c, err := net.DialTimeout(\"tcp\", echo + \":7\", 5 * time.Second)",
          "    if err == nil {",
          "        c.Write([]byte(\"tcp-ping\"))",
          "        buf := make([]byte, 8)",
          "        c.SetReadDeadline(time.Now().Add(5 * time.Second))",
          "        _, err = io.ReadFull(c, buf)",
          "        fmt.Printf(\"tcp=%s peer=%s err=%v\\n\", buf, c.RemoteAddr(), err)",
          "        c.Close()",
          "    } else { fmt.Printf(\"tcp-err=%v\\n\", err) }",
          "    u, err := net.Dial(\"udp\", echo + \":7\")",
          "    if err == nil {",
          "        u.Write([]byte(\"udp-ping\"))",
          "        buf := make([]byte, 64)",
          "        u.SetReadDeadline(time.Now().Add(5 * time.Second))",
          "        n, err := u.Read(buf)",
          "        fmt.Printf(\"udp=%s err=%v\\n\", buf[:n], err)",
          "    } else { fmt.Printf(\"udp-err=%v\\n\", err) }",
          "    var wg sync.WaitGroup",
          "    var mu sync.Mutex",
          "    ok := 0",
          "    for i := 0; i < 32; i++ {",
          "        wg.Add(1)",
          "        go func() {",
          "            defer wg.Done()",
          "            b, err := os.ReadFile(\"/app/data.txt\")",
          "            if err != nil || strings.TrimSpace(string(b)) != \"pod data\" { return }",
          "            r, err := http.Get(\"http://\" + web + \"/\")",
          "            if err != nil { return }",
          "            body, _ := io.ReadAll(r.Body); r.Body.Close()",
          "            if strings.HasPrefix(string(body), \"hello from the cluster\") {",
          "                mu.Lock(); ok++; mu.Unlock()",
          "            }",
          "        }()",
          "    }",
          "    wg.Wait()",
          "    fmt.Printf(\"goroutines=%d\\n\", ok)",
          "}",
          "");

  /** Reads a pod file every 100 ms until a read fails: the supervisor-killed test. */
  static final String POLLER =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"os\"",
          "    \"time\"",
          ")",
          "",
          "func main() {",
          "    for i := 0; i < 600; i++ {",
          "        _, err := os.ReadFile(\"/app/data.txt\")",
          "        if err != nil { fmt.Printf(\"failed: %v\\n\", err); os.Exit(3) }",
          "        if i == 0 { fmt.Println(\"ready\") }",
          "        time.Sleep(100 * time.Millisecond)",
          "    }",
          "    fmt.Println(\"never failed\")",
          "}",
          "");

  static final String STATIC_C =
      String.join(
          "\n",
          "#include <stdio.h>",
          "int main(void) {",
          "  char line[128];",
          "  FILE *f = fopen(\"/app/data.txt\", \"r\");",
          "  if (!f) { perror(\"fopen\"); return 1; }",
          "  if (fgets(line, sizeof line, f)) printf(\"c-file=%s\", line);",
          "  fclose(f);",
          "  return 0;",
          "}",
          "");

  /**
   * Runs a dynamic /bin/sh with dynamic cat and grep: what they see of the pod and of the layers in
   * their own process (the LD_PRELOAD layer's library, the seccomp filter mode).
   */
  static final String EXECS_DYNAMIC =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"os/exec\"",
          ")",
          "",
          "func main() {",
          "    out, err := exec.Command(\"/bin/sh\", \"-c\",",
          "        \"cat /app/data.txt; echo preload=[$LD_PRELOAD];"
              + " echo layer-mapped=$(grep -c libmirrord_layer /proc/self/maps);"
              + " grep Seccomp: /proc/self/status\").CombinedOutput()",
          "    fmt.Printf(\"%s\", out)",
          "    fmt.Printf(\"child-err=%v\\n\", err)",
          "}",
          "");

  /** Reads a pod file: started by python3 in the reverse test. */
  /**
   * Reads a pod-only file and says with which argv[0] and LD_PRELOAD it runs: a launch through the
   * launcher must keep the name its parent gave it, and no Go program may carry our LD_PRELOAD.
   */
  static final String READER =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"os\"",
          "    \"strings\"",
          ")",
          "",
          "func main() {",
          "    b, err := os.ReadFile(\"/app/data.txt\")",
          "    fmt.Printf(\"go-file=%s err=%v argv0=%s preload=%q\\n\", strings.TrimSpace(string(b)),"
              + " err, os.Args[0], os.Getenv(\"LD_PRELOAD\"))",
          "}",
          "");

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("seccomp")
                .hostname("seccomp-pod-1")
                .env("POD_GREETING", "hello from the pod")
                .file("/app/data.txt", "pod data\n")
                .file("/app/dir/a.txt", "a")
                .file("/app/dir/b.txt", "b"));
    agent =
        AgentProcess.start(
            MirrordRun.FAT_JAR,
            Duration.ofSeconds(60),
            "--target-pid",
            Long.toString(pod.pid()),
            "--idle-ttl",
            "600");
    config = work.resolve("mirrord.json");
    Files.writeString(
        config,
        "{\"connect_tcp\": \"127.0.0.1:"
            + agent.port()
            + "\","
            + " \"experimental\": {\"tcp_ping4_mock\": false},"
            + " \"feature\": {\"env\": {\"include\": \"POD_*\"}, \"fs\": {\"mode\": \"write\"}}}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  void assertReachesThePod(MirrordRun.Result r, String written) throws Exception {
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.lines();
    List<String> expected =
        List.of(
            "env=hello from the pod",
            "file=pod data err=<nil>",
            "size=9",
            "dir=a.txt,b.txt err=<nil>",
            "write-err=<nil>",
            "hostname=seccomp-pod-1",
            "dns=" + cluster.echoIp() + " err=<nil>",
            "http=" + Cluster.HTTP_BODY.trim(),
            "tcp=tcp-ping peer=" + cluster.echoIp() + ":7 err=<nil>",
            "udp=udp-ping err=<nil>",
            "goroutines=32");
    for (String e : expected)
      assertTrue(lines.contains(e), "missing " + e + ":\n" + r.out() + r.err());
    assertEquals("written by go\n", Files.readString(pod.root().resolve("app/" + written)));
  }

  @Test
  void aStaticGoProgramGetsThePodThroughTheSeccompLayerChosenByItself() throws Exception {
    Path bin = GoBuild.build(work, "staticprobe", PROBE, false);
    MirrordRun.Result r =
        MirrordRun.start(
                work,
                config,
                Map.of("MIRRORD_PROGRESS_MODE", "simple"),
                bin.toString(),
                cluster.echoIp(),
                cluster.httpIp(),
                "static-out.txt")
            .await();
    assertReachesThePod(r, "static-out.txt");
    assertTrue(!r.err().contains("is statically linked"), r.err());
  }

  @Test
  void aCgoGoProgramGetsThePodThroughTheSeccompLayerChosenByItself() throws Exception {
    Path bin = GoBuild.build(work, "cgoprobe", PROBE, true);
    MirrordRun.Result r =
        MirrordRun.start(
                work,
                config,
                Map.of("MIRRORD_PROGRESS_MODE", "simple"),
                bin.toString(),
                cluster.echoIp(),
                cluster.httpIp(),
                "cgo-out.txt")
            .await();
    assertReachesThePod(r, "cgo-out.txt");
    assertTrue(!r.err().contains("is a Go program"), r.err());
  }

  @Test
  void aStaticCProgramReadsAPodFile() throws Exception {
    Path dir = Files.createDirectories(work.resolve("cstatic"));
    Files.writeString(dir.resolve("main.c"), STATIC_C);
    Process cc =
        new ProcessBuilder("gcc", "-static", "-o", "readpod", "main.c")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String log = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, cc.exitValue(), "gcc -static: " + log);
    MirrordRun.Result r = MirrordRun.run(work, config, dir.resolve("readpod").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(List.of("c-file=pod data"), r.lines(), r.err());
  }

  @Test
  void aDynamicProgramExecdFromAStaticGoProgramIsServedByTheInheritedFilterAlone()
      throws Exception {
    Path bin = GoBuild.build(work, "execsdynamic", EXECS_DYNAMIC, false);
    MirrordRun.Result r = MirrordRun.run(work, config, bin.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.lines();
    // cat is dynamically linked and the pod file exists only in the pod: the filter served it
    assertTrue(lines.contains("pod data"), r.out() + r.err());
    // no LD_PRELOAD layer in the child, so no call is handled by both layers
    assertTrue(lines.contains("preload=[]"), r.out());
    assertTrue(lines.contains("layer-mapped=0"), r.out());
    assertTrue(lines.contains("Seccomp:\t2"), r.out());
    assertTrue(lines.contains("child-err=<nil>"), r.out());
    assertTrue(!Files.exists(Path.of("/app/data.txt")), "the test needs /app/data.txt pod-only");
  }

  @Test
  void aStaticGoProgramStartedByPython3UnderTheSeccompLayerReachesThePod() throws Exception {
    Path bin = GoBuild.build(work, "reader", READER, false);
    String script =
        "import subprocess\n"
            + "print('py-file=' + open('/app/data.txt').read().strip())\n"
            + "print(subprocess.run(['"
            + bin
            + "'], capture_output=True, text=True).stdout, end='')\n";
    MirrordRun.Result r =
        MirrordRun.start(
                work, config, Map.of("MIRRORD_LAYER_MODE", "seccomp"), "python3", "-c", script)
            .await();
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(
        List.of("py-file=pod data", "go-file=pod data err=<nil> argv0=" + bin + " preload=\"\""),
        r.lines(),
        r.err());
  }

  @Test
  void staticAndCgoGoChildrenOfADynamicProgramGetTheSeccompLayerInAutoMode() throws Exception {
    // auto mode: python3 and sh get the LD_PRELOAD layer; the Go programs they exec would bypass
    // it, so the layer starts them behind the seccomp launcher and the supervisor in run serves
    // them
    Path staticBin = GoBuild.build(work, "namedstatic", READER, false);
    Path cgoBin = GoBuild.build(work, "namedcgo", READER, true);
    String script =
        "import subprocess\n"
            + "print('py-file=' + open('/app/data.txt').read().strip())\n"
            + "print(subprocess.run(['given-name'], executable='"
            + staticBin
            + "', capture_output=True, text=True).stdout, end='')\n"
            + "print(subprocess.run(['sh', '-c', '"
            + cgoBin
            + "'], capture_output=True, text=True).stdout, end='')\n";
    MirrordRun.Result r = MirrordRun.start(work, config, "python3", "-c", script).await();
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals(
        List.of(
            "py-file=pod data",
            "go-file=pod data err=<nil> argv0=given-name preload=\"\"",
            "go-file=pod data err=<nil> argv0=" + cgoBin + " preload=\"\""),
        r.lines(),
        r.err());
  }

  @Test
  void aGoProgramWhoseSupervisorIsKilledFailsItsNextCallAndDoesNotHang() throws Exception {
    Path bin = GoBuild.build(work, "poller", POLLER, false);
    MirrordRun.Running running = MirrordRun.start(work, config, bin.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!running.outSoFar().contains("ready") && System.nanoTime() < deadline) Thread.sleep(50);
    assertTrue(running.outSoFar().contains("ready"), running.outSoFar());
    List<ProcessHandle> program = running.process().descendants().toList();
    assertTrue(!program.isEmpty(), "no program under run");
    running.process().destroyForcibly(); // SIGKILL: the supervisor dies with the JVM
    for (ProcessHandle p : program) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        throw new AssertionError("the program hung after its supervisor died: " + p.info());
      }
    }
    String out = running.outSoFar();
    assertTrue(out.contains("failed: ") && out.contains("function not implemented"), out);
  }
}
