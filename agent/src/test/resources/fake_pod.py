"""A stand-in for a pod's main process, used by PodTargetTest.

Started as `unshare --net --uts sh -c 'ip link set lo up; exec python3 fake_pod.py ROOT'` so it has its
own network and UTS namespaces. It sets a hostname, serves TCP/UDP/unix echo and a tiny DNS server on
its own loopback, then chroots into ROOT so /proc/<pid>/root is ROOT. Prints "ready" when serving.
"""
import os
import socket
import struct
import sys
import threading

root = sys.argv[1]
socket.sethostname("fake-pod-7f9c")


def tcp_echo(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass


def accept_loop(srv):
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=tcp_echo, args=(conn,), daemon=True).start()


def udp_echo(sock):
    while True:
        data, peer = sock.recvfrom(65536)
        sock.sendto(b"pod:" + data, peer)


def dns_answer(q, over_tcp):
    # known.pod.local A 10.250.0.9; many.pod.local A 10.250.1.1-3, truncated (TC, no records) over
    # UDP so the client must ask again over TCP; everything else NXDOMAIN
    qid, flags, qd = struct.unpack(">HHH", q[:6])
    pos, labels = 12, []
    while q[pos] != 0:
        labels.append(q[pos + 1:pos + 1 + q[pos]].decode())
        pos += 1 + q[pos]
    qtype = struct.unpack(">H", q[pos + 1:pos + 3])[0]
    question = q[12:pos + 5]
    name = ".".join(labels).lower()
    addresses = {"known.pod.local": [[10, 250, 0, 9]], "many.pod.local": [[10, 250, 1, i] for i in (1, 2, 3)]}.get(name)
    if addresses is None:
        return struct.pack(">HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
    if name == "many.pod.local" and not over_tcp:
        return struct.pack(">HHHHHH", qid, 0x8380, 1, 0, 0, 0) + question
    answers = [b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 30, 4) + bytes(a) for a in addresses] if qtype == 1 else []
    return struct.pack(">HHHHHH", qid, 0x8180, 1, len(answers), 0, 0) + question + b"".join(answers)


def dns_server(sock):
    while True:
        q, peer = sock.recvfrom(512)
        sock.sendto(dns_answer(q, False), peer)


def dns_tcp_server(srv):
    while True:
        conn, _ = srv.accept()
        with conn:
            length = struct.unpack(">H", conn.recv(2, socket.MSG_WAITALL))[0]
            answer = dns_answer(conn.recv(length, socket.MSG_WAITALL), True)
            conn.sendall(struct.pack(">H", len(answer)) + answer)


tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", 7777))
tcp.listen(64)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 7778))
dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dns.bind(("127.0.0.1", 53))
dns_tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
dns_tcp.bind(("127.0.0.1", 53))
dns_tcp.listen(8)
unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unix.bind(os.path.join(root, "run", "echo.sock"))
unix.listen(8)

os.chroot(root)
os.chdir("/")
# a socket whose pod path fits sun_path but not once the agent prefixes /proc/<pid>/root (95 bytes)
long_dir = "/run/" + "d" * 75
os.makedirs(long_dir)
long_unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
long_unix.bind(long_dir + "/long-echo.sock")
long_unix.listen(8)
for target, arg in ((accept_loop, tcp), (udp_echo, udp), (dns_server, dns), (dns_tcp_server, dns_tcp), (accept_loop, unix), (accept_loop, long_unix)):
    threading.Thread(target=target, args=(arg,), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
