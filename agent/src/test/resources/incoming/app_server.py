# A small HTTP/1.1 app standing in for "the pod's app" or "the local program".
# Usage: app_server.py NAME HOST PORT [LOGFILE] (LOGFILE gets "METHOD PATH" per request). Answers "NAME METHOD PATH body=N" with keep-alive; an
# upgrade request (Connection: upgrade) gets 101 and then every byte is echoed back prefixed by NAME.
import socket, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME, HOST, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
LOG = open(sys.argv[4], "a", buffering=1) if len(sys.argv) > 4 else None

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if LOG:
            LOG.write("%s %s\n" % (self.command, self.path))
        if "upgrade" in (self.headers.get("Connection") or "").lower():
            self.send_response(101)
            self.send_header("Upgrade", self.headers.get("Upgrade"))
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data:
                    return
                self.connection.sendall(NAME.encode() + b":" + data)
        text = ("%s %s %s body=%d" % (NAME, self.command, self.path, len(body))).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(text)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the default 5 drops SYNs under a steady stream of new connections
    address_family = socket.AF_INET6 if ":" in HOST else socket.AF_INET

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

Server((HOST, PORT), Handler).serve_forever()
