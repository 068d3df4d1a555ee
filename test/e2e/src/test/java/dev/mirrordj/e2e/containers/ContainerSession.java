package dev.mirrordj.e2e.containers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code mirrord run} against an agent container, as a user runs it: the fat jar, the agent
 * reached through {@code connect_tcp} to a port-forward or created by run itself through a
 * Kubernetes API, and a python3 program under the layer that first prints what it sees of the
 * target (environment, a file, a cluster name, its hostname, an echo through an outgoing
 * connection), then serves HTTP on the target's port with a header-filtered steal until {@code
 * /quit}.
 */
final class ContainerSession implements AutoCloseable {
  static final Path FAT_JAR =
      Path.of("..", "..", "cli", "target", "mirrord-fat.jar").toAbsolutePath().normalize();

  static final String APP =
      String.join(
          "\n",
          "import http.server, os, socket, sys, threading",
          "port, log = int(sys.argv[1]), open(sys.argv[2], 'a', buffering=1)",
          "print('ENV', os.environ.get('APP_MODE'), flush=True)",
          "print('FILE', open('/app/config.json').read().strip(), flush=True)",
          "print('DNS', socket.gethostbyname('echo.default.svc.cluster.local'), flush=True)",
          "print('HOST', socket.gethostname(), flush=True)",
          "try:",
          "    s = socket.create_connection(('echo.default.svc.cluster.local', 7), timeout=20)",
          "    s.sendall(b'ping through the container\\n')",
          "    data = b''",
          "    while not data.endswith(b'\\n'):",
          "        chunk = s.recv(100)",
          "        if not chunk:",
          "            break",
          "        data += chunk",
          "    s.close()",
          "    print('ECHO', data.decode().strip(), flush=True)",
          "except Exception as e:",
          "    print('ECHO failed:', repr(e), flush=True)",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    protocol_version = 'HTTP/1.1'",
          "    def do_GET(self):",
          "        log.write(self.path + '\\n')",
          "        body = ('local ' + self.path + '\\n').encode()",
          "        self.send_response(200)",
          "        self.send_header('Content-Length', str(len(body)))",
          "        self.end_headers()",
          "        self.wfile.write(body)",
          "        if self.path == '/quit':",
          "            threading.Thread(target=srv.shutdown).start()",
          "    def log_message(self, *a):",
          "        pass",
          "srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)",
          "srv.daemon_threads = True",
          "print('listening', port, flush=True)",
          "srv.serve_forever()",
          "srv.server_close()",
          "print('listener closed', flush=True)",
          "");

  private final Process process;
  private final Path out;
  private final Path err;
  final Path requests;

  private ContainerSession(Process process, Path out, Path err, Path requests) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.requests = requests;
  }

  static ContainerSession start(Path dir, int agentPort, int port, String headerFilter)
      throws IOException {
    // the target names the pod the agent Job serves (steal needs a targeted agent);
    // connect_tcp makes run use the port-forward instead of creating a Job itself
    return start(
        dir,
        "\"target\": \"pod/web\", \"connect_tcp\": \"127.0.0.1:" + agentPort + "\"",
        port,
        headerFilter);
  }

  /**
   * @param agentMembers the configuration's members that say where the agent is (target, and
   *     connect_tcp or kubeconfig and agent options), as JSON object members
   */
  static ContainerSession start(Path dir, String agentMembers, int port, String headerFilter)
      throws IOException {
    Files.createDirectories(dir);
    Path app = dir.resolve("app.py");
    Files.writeString(app, APP);
    Path config = dir.resolve("mirrord.json");
    Files.writeString(
        config,
        // The cluster's echo service listens on port 7, which tcp_ping4_mock (on by default) would
        // answer locally without ever reaching the agent: the mock is turned off.
        "{"
            + agentMembers
            + ", \"experimental\": {\"tcp_ping4_mock\": false}, \"feature\": {\"env\": {\"include\": \"APP_*\"}, \"fs\": {\"mode\": \"read\"},"
            + " \"network\": {\"dns\": true, \"outgoing\": true, \"incoming\": {\"mode\": \"steal\","
            + " \"http_filter\": {\"header_filter\": \""
            + headerFilter
            + "\", \"ports\": ["
            + port
            + "]}}}}}");
    Path requests = dir.resolve("requests.log");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            FAT_JAR.toString(),
            "run",
            "-f",
            config.toString(),
            "--",
            "/usr/bin/python3",
            app.toString(),
            Integer.toString(port),
            requests.toString());
    Path out = dir.resolve("run.out");
    Path err = dir.resolve("run.err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
    return new ContainerSession(pb.start(), out, err, requests);
  }

  String stdout() {
    try {
      return Files.readString(out);
    } catch (IOException e) {
      return "";
    }
  }

  String output() {
    try {
      return "--- run stdout:\n"
          + Files.readString(out)
          + "--- run stderr:\n"
          + Files.readString(err);
    } catch (IOException e) {
      return "(run output unreadable: " + e + ")";
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  List<String> requestsSeen() throws IOException {
    return Files.exists(requests) ? Files.readAllLines(requests) : List.of();
  }

  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("run did not exit within " + seconds + " s\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
