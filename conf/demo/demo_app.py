#!/usr/bin/env python3
"""The demo's local program. Run under mirrord it prints what it sees of the demo pod: an environment
variable, a file, a cluster-only DNS name and a reply from a cluster-only service. Run without mirrord
(plain python3) each line shows the local view instead, which is the point of the demo."""
import os
import socket
import sys

POD_FILE = sys.argv[1] if len(sys.argv) > 1 else "/srv/demo/message.txt"
DNS_NAME = sys.argv[2] if len(sys.argv) > 2 else "echo.cluster.local"
SERVICE_PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 7


def line(label, fn):
    try:
        print(f"{label:<22} {fn()}")
    except Exception as exc:  # the demo shows failures as they are, it never hides them
        print(f"{label:<22} ERROR {type(exc).__name__}: {exc}")


def pod_file():
    with open(POD_FILE) as f:
        return f.read().strip()


def echo():
    with socket.create_connection((DNS_NAME, SERVICE_PORT), timeout=5) as s:
        s.sendall(b"hello from my laptop\n")
        s.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := s.recv(4096):
            data += chunk
        return data.decode().strip()


line("env DEMO_POD_GREETING", lambda: os.environ.get("DEMO_POD_GREETING", "<not set>"))
line("hostname", socket.gethostname)
line(f"file {POD_FILE}", pod_file)
line(f"dns {DNS_NAME}", lambda: socket.gethostbyname(DNS_NAME))
line(f"tcp {DNS_NAME}:{SERVICE_PORT}", echo)
