package dev.mirrordj.e2e.incoming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The "local program" of the incoming tests: small HTTP servers (python3 and node) that answer
 * {@code local <path>} and append every request path to a log file, so a test can see what reached
 * them. On {@code /quit} they close their listener, then exit once {@code <log>.release} exists (so
 * a test can watch the listener's close release the port while the process still lives); with a
 * third argument {@code exit} they instead end at once without closing anything.
 */
final class LocalApp {
  private LocalApp() {}

  static final String PYTHON =
      String.join(
          "\n",
          "import http.server, os, sys, threading, time",
          "port, log = int(sys.argv[1]), open(sys.argv[2], 'a', buffering=1)",
          "release = sys.argv[2] + '.release'",
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
          "if len(sys.argv) > 3 and sys.argv[3] == 'exit':",
          "    print('exiting without closing', flush=True)",
          "    os._exit(0)  # no close(): only the process's end can release the port",
          "srv.server_close()",
          "print('listener closed', flush=True)",
          "deadline = time.time() + 60",
          "while not os.path.exists(release) and time.time() < deadline:",
          "    time.sleep(0.05)",
          "");

  static final String NODE =
      String.join(
          "\n",
          "const http = require('http'), fs = require('fs');",
          "const port = +process.argv[2], log = process.argv[3];",
          "const srv = http.createServer((req, res) => {",
          "  fs.appendFileSync(log, req.url + '\\n');",
          "  res.end('local ' + req.url + '\\n');",
          "  if (req.url === '/quit') { srv.close(); srv.closeAllConnections && srv.closeAllConnections();",
          "    console.log('listener closed');",
          "    const t = setInterval(() => { if (fs.existsSync(log + '.release')) { clearInterval(t); process.exit(0); } }, 50); }",
          "});",
          "srv.listen(port, '0.0.0.0', () => console.log('listening', port));",
          "");

  /** argv running the python app on {@code port}, logging to {@code log}. */
  static List<String> python(Path dir, int port, Path log) throws IOException {
    Path script = dir.resolve("app.py");
    Files.writeString(script, PYTHON);
    return List.of("/usr/bin/python3", script.toString(), Integer.toString(port), log.toString());
  }

  /** argv running the node app on {@code port}, logging to {@code log}. */
  static List<String> node(Path dir, int port, Path log) throws IOException {
    Path script = dir.resolve("app.js");
    Files.writeString(script, NODE);
    String node = Files.exists(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
    return List.of(node, script.toString(), Integer.toString(port), log.toString());
  }
}
