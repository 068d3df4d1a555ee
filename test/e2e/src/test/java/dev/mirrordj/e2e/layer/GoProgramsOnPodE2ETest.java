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
 * Go programs under `run` with the real agent on a harness pod, pinning down exactly what reaches
 * the pod (documented in docs/cli.md and layer-bridge/README.md). A cgo build loads the layer: the
 * pod's environment, C code called through cgo, DNS through Go's cgo resolver, and the programs it
 * starts reach the pod; Go's own file, socket and hostname calls are raw system calls and stay
 * local, and run says so. A CGO_ENABLED=0 build is static: run warns, and only the environment and
 * its children get the pod.
 */
class GoProgramsOnPodE2ETest {
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
          "/*",
          "#include <stdio.h>",
          "static char line[256];",
          "static char *first_line(const char *path) {",
          "    FILE *f = fopen(path, \"r\");",
          "    if (!f) return NULL;",
          "    char *r = fgets(line, sizeof line, f);",
          "    fclose(f);",
          "    return r;",
          "}",
          "*/",
          "import \"C\"",
          "",
          "import (",
          "    \"fmt\"",
          "    \"net\"",
          "    \"os\"",
          "    \"os/exec\"",
          "    \"strings\"",
          "    \"time\"",
          ")",
          "",
          "func main() {",
          "    fmt.Println(\"env=\" + os.Getenv(\"POD_GREETING\"))",
          "    if l := C.first_line(C.CString(\"/app/data.txt\")); l != nil {",
          "        fmt.Println(\"cgo-file=\" + strings.TrimSpace(C.GoString(l)))",
          "    }",
          "    out, err := exec.Command(\"cat\", \"/app/data.txt\").Output()",
          "    fmt.Printf(\"child=%s err=%v\\n\", strings.TrimSpace(string(out)), err)",
          "    addrs, err := net.LookupHost(\"" + Cluster.ECHO_NAME + "\")",
          "    fmt.Printf(\"dns=%s err=%v\\n\", strings.Join(addrs, \",\"), err)",
          "    _, err = os.ReadFile(\"/app/data.txt\")",
          "    fmt.Printf(\"go-file-local=%v\\n\", os.IsNotExist(err))",
          "    h, _ := os.Hostname()",
          "    fmt.Println(\"go-hostname=\" + h)",
          "    c, err := net.DialTimeout(\"tcp\", os.Args[1] + \":7\", 5 * time.Second)",
          "    if err == nil { c.Close() }",
          "    fmt.Printf(\"go-dial-routed=%v\\n\", err == nil)",
          "}",
          "");

  static final String STATIC_PROBE =
      String.join(
          "\n",
          "package main",
          "",
          "import (",
          "    \"fmt\"",
          "    \"os\"",
          "    \"os/exec\"",
          "    \"strings\"",
          ")",
          "",
          "func main() {",
          "    fmt.Println(\"env=\" + os.Getenv(\"POD_GREETING\"))",
          "    out, err := exec.Command(\"cat\", \"/app/data.txt\").Output()",
          "    fmt.Printf(\"child=%s err=%v\\n\", strings.TrimSpace(string(out)), err)",
          "}",
          "");

  @BeforeAll
  static void start() throws Exception {
    Root.requireRoot();
    cluster = Cluster.start();
    pod =
        cluster.addPod(
            PodSpec.named("gopod")
                .hostname("go-pod-1")
                .env("POD_GREETING", "hello from the pod")
                .file("/app/data.txt", "pod data\n"));
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
            + " \"experimental\": {\"tcp_ping4_mock\": false}, \"feature\": {\"env\": {\"include\": \"POD_*\"}}}");
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
    if (cluster != null) cluster.close();
  }

  /** go build in a private cache under the test's temp dir (removed with it). */
  static Path goBuild(String name, String source, boolean cgo) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(dir.resolve("main.go"), source);
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-o", name, "main.go")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOCACHE", work.resolve("gocache").toString());
    pb.environment().put("GOPATH", work.resolve("gopath").toString());
    pb.environment().put("CGO_ENABLED", cgo ? "1" : "0");
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "go build timed out");
    assertEquals(0, p.exitValue(), "go build " + name + ": " + log);
    return dir.resolve(name);
  }

  @Test
  void cgoBuildGetsEnvCgoCallsDnsAndChildrenFromThePodAndAWarningAboutTheRest() throws Exception {
    Path bin = goBuild("cgoprobe", PROBE, true);
    MirrordRun.Result r =
        MirrordRun.start(
                work,
                config,
                Map.of(
                    "GODEBUG",
                    "netdns=cgo",
                    "MIRRORD_PROGRESS_MODE",
                    "simple",
                    "MIRRORD_LAYER_MODE",
                    "preload"),
                bin.toString(),
                cluster.echoIp())
            .await();
    assertEquals(0, r.exit(), r.out() + r.err());
    List<String> lines = r.lines();
    // what reaches the pod
    assertTrue(
        lines.containsAll(
            List.of(
                "env=hello from the pod",
                "cgo-file=pod data",
                "child=pod data err=<nil>",
                "dns=" + cluster.echoIp() + " err=<nil>")),
        r.out() + r.err());
    // what Go does by raw system call stays local (the documented limit run warns about)
    assertTrue(
        lines.containsAll(List.of("go-file-local=true", "go-dial-routed=false")),
        r.out() + r.err());
    assertTrue(!lines.contains("go-hostname=go-pod-1"), r.out());
    assertTrue(
        r.err()
            .contains(
                "is a Go program: Go opens files, connects sockets and reads the hostname with raw system calls"),
        r.err());
  }

  @Test
  void staticBuildGetsTheWarningTheEnvironmentAndLayeredChildren() throws Exception {
    Path bin = goBuild("staticprobe", STATIC_PROBE, false);
    MirrordRun.Result r =
        MirrordRun.start(
                work,
                config,
                Map.of("MIRRORD_PROGRESS_MODE", "simple", "MIRRORD_LAYER_MODE", "preload"),
                bin.toString())
            .await();
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(
        r.err().contains(bin + " is statically linked: the mirrord layer cannot load into it"),
        r.err());
    assertEquals(List.of("env=hello from the pod", "child=pod data err=<nil>"), r.lines(), r.err());
  }
}
