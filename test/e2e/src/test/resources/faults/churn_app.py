# Subscribe/unsubscribe churn (under the layer): listens on the port for a second, closes the
# listener for a second, the given number of times, serving "local <path>" while it listens.
import http.server, sys, threading, time

port, cycles = int(sys.argv[1]), int(sys.argv[2])


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        body = ('local ' + self.path + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


for i in range(cycles):
    srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print('listening', i, flush=True)
    time.sleep(1.0)
    srv.shutdown()
    srv.server_close()
    print('closed', i, flush=True)
    time.sleep(1.0)
print('churn done', flush=True)
