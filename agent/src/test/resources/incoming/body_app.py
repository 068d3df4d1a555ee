# HTTP/1.1 app for body-filter tests: reads the whole request body (Content-Length or chunked) and
# answers "NAME METHOD PATH body=N sha=<sha256 prefix of the decoded body>" with keep-alive.
# Usage: body_app.py NAME HOST PORT
import hashlib, socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME, HOST, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle_any(self):
        body = self.read_body()
        text = ("%s %s %s body=%d sha=%s" % (NAME, self.command, self.path, len(body),
                hashlib.sha256(body).hexdigest()[:16])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

Server((HOST, PORT), Handler).serve_forever()
