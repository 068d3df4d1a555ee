#!/usr/bin/env python3
"""The demo's local program. Run under mirrord it prints what it sees of the demo pod: an environment
variable, a file, a cluster-only DNS name and a reply from a cluster-only service. Run without mirrord
(plain python3) each line shows the local view instead, which is the point of the demo."""
import os
import socket
import sys

POD_FILE = sys.argv[1] if len(sys.argv) > 1 else "/srv/demo/message.txt"
DNS_NAME = sys.argv[2] if len(sys.argv) > 2 else "http.cluster.local"
SERVICE_PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 80
# Without mirrord a lookup of a cluster name would go to this machine's resolver (and maybe leave the
# machine); the plain run sets DEMO_LOCAL_ONLY=1 so it only shows what it can see locally.
LOCAL_ONLY = os.environ.get("DEMO_LOCAL_ONLY") == "1"


def line(label, fn):
    try:
        print(f"{label:<22} {fn()}")
    except Exception as exc:  # the demo shows failures as they are, it never hides them
        print(f"{label:<22} ERROR {type(exc).__name__}: {exc}")


def pod_file():
    with open(POD_FILE) as f:
        return f.read().strip()


def http_get():
    with socket.create_connection((DNS_NAME, SERVICE_PORT), timeout=5) as s:
        s.sendall(f"GET / HTTP/1.0\r\nHost: {DNS_NAME}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(4096):
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return f"{head.splitlines()[0].decode()} | {body.decode().strip()}"


line("env DEMO_POD_GREETING", lambda: os.environ.get("DEMO_POD_GREETING", "<not set>"))
line("hostname", socket.gethostname)
line(f"file {POD_FILE}", pod_file)
if LOCAL_ONLY:
    line(f"dns {DNS_NAME}", lambda: "(skipped: would ask this machine's resolver)")
    line(f"http {DNS_NAME}:{SERVICE_PORT}", lambda: "(skipped: not reachable from this machine)")
else:
    line(f"dns {DNS_NAME}", lambda: socket.gethostbyname(DNS_NAME))
    line(f"http {DNS_NAME}:{SERVICE_PORT}", http_get)
