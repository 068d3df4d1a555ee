#!/usr/bin/env python3
"""Test services for the mirrordj pod harness: TCP echo (honours half-close), UDP echo, TCP discard
and an HTTP/1.1 server with a known body. One process, one thread per connection; stops on SIGTERM.

  services.py [--tcp-echo HOST:PORT]... [--udp-echo HOST:PORT]... [--discard HOST:PORT]...
              [--http HOST:PORT]... [--body TEXT] [--name NAME]

HTTP: GET/HEAD of any path answers 200 with BODY and headers X-Served-By: NAME, X-Request-Path: PATH;
POST/PUT echo the request body back. Every listener is bound before "services ready" is printed.
"""
import argparse, signal, socket, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def addr(s):
    host, _, port = s.rpartition(':')
    return host.strip('[]'), int(port)


def serve_stream(listener, handle):
    def loop():
        while True:
            conn, _ = listener.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


def echo(conn):
    # Echo until the peer half-closes, then half-close our side: the peer can still read everything.
    with conn:
        try:
            while True:
                data = conn.recv(262144)
                if not data:
                    conn.shutdown(socket.SHUT_WR)
                    return
                conn.sendall(data)
        except OSError:
            return


def discard(conn):
    with conn:
        try:
            while conn.recv(262144):
                pass
        except OSError:
            return


def tcp_listener(spec):
    host, port = addr(spec)
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if host == '::':
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind((host, port))
    s.listen(512)
    return s


def udp_echo(spec):
    host, port = addr(spec)
    s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))

    def loop():
        while True:
            data, peer = s.recvfrom(65535)
            s.sendto(data, peer)
    threading.Thread(target=loop, daemon=True).start()


def http_server(spec, body, name):
    payload = body.encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def reply(self, data, send_body=True):
            self.send_response(200)
            self.send_header('Content-Type', 'text/plain')
            self.send_header('Content-Length', str(len(data)))
            self.send_header('X-Served-By', name)
            self.send_header('X-Request-Path', self.path)
            self.end_headers()
            if send_body:
                self.wfile.write(data)

        def do_GET(self):
            self.reply(payload)

        def do_HEAD(self):
            self.reply(payload, send_body=False)

        def do_POST(self):
            length = int(self.headers.get('Content-Length', '0'))
            self.reply(self.rfile.read(length))

        do_PUT = do_POST

    host, port = addr(spec)

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ':' in host else socket.AF_INET
        daemon_threads = True

        def server_bind(self):
            if host == '::':
                # dual stack whatever net.ipv6.bindv6only says: [::]:PORT serves IPv4 too
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            super().server_bind()

    server = Server((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--tcp-echo', action='append', default=[])
    p.add_argument('--udp-echo', action='append', default=[])
    p.add_argument('--discard', action='append', default=[])
    p.add_argument('--http', action='append', default=[])
    p.add_argument('--body', default='hello from mirrordj harness\n')
    p.add_argument('--name', default='service')
    a = p.parse_args()
    for spec in a.tcp_echo:
        serve_stream(tcp_listener(spec), echo)
    for spec in a.discard:
        serve_stream(tcp_listener(spec), discard)
    for spec in a.udp_echo:
        udp_echo(spec)
    for spec in a.http:
        http_server(spec, a.body, a.name)
    print('services ready', flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
