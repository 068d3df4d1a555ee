"""The demo's local HTTP server: runs on this machine under `mirrord run`, which steals the demo
pod's HTTP port for the requests that carry the demo header. Usage: demo_server.py PORT"""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from this machine (the request was stolen from the demo pod)\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("local server: " + fmt % args, flush=True)


server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("local server: listening on port", sys.argv[1], flush=True)
server.serve_forever()
