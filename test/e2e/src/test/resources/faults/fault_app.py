# The local program of the fault tests (under the layer): an HTTP/1.1 server answering
# "local <path>"; a path containing "slow" is answered after the number of seconds given as the
# second argument (requests in flight at a fault), a POST to a path containing "stuck" stops
# reading its body for that long. A file named by the third argument, when it
# appears, makes it close its listener while accepted connections keep being served; it then exits
# when a file "<that>.exit" appears.
import http.server, os, sys, threading, time

port, slow = int(sys.argv[1]), float(sys.argv[2])
close_file = sys.argv[3] if len(sys.argv) > 3 else None


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        if 'slow' in self.path:
            time.sleep(slow)
        body = ('local ' + self.path + '\n').encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        # "stuck": a handler that stops reading its request (and answers late); else an echo
        n = int(self.headers.get('Content-Length', '0'))
        if 'stuck' in self.path:
            time.sleep(slow)
            self.close_connection = True
            body = b'late\n'
        else:
            body = self.rfile.read(n)
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(('0.0.0.0', port), H)
srv.daemon_threads = True
print('listening', port, flush=True)
if close_file:
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    while not os.path.exists(close_file):
        time.sleep(0.05)
    srv.shutdown()
    srv.socket.close()
    print('listener closed', flush=True)
    while not os.path.exists(close_file + '.exit'):
        time.sleep(0.05)
else:
    srv.serve_forever()
