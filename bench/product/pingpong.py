# B5 ping-pong: 64 B round trips to an echo server, first idle, then while a bulk stream of the same
# program writes to a sink (head-of-line blocking in a shared tunnel shows here). Each phase lasts
# SECONDS (or 5,000 exchanges, whichever comes first) after 200 unmeasured exchanges.
# python3 pingpong.py HOST ECHO_PORT SINK_PORT SECONDS
# Prints one line: "idle_p50_us=.. idle_p99_us=.. idle_n=.. bulk_p50_us=.. bulk_p99_us=.. bulk_n=.. bulk_mib_s=.."
import socket, sys, threading, time

host, echo_port, sink_port, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
MSG = b'x' * 64

def connect(port):
    s = socket.create_connection((host, port), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

def exchange(s):
    s.sendall(MSG)
    got = 0
    while got < len(MSG):
        b = s.recv(len(MSG) - got)
        if not b:
            raise ConnectionError('echo closed')
        got += len(b)

def phase(s, limit):
    lat = []
    end = time.monotonic() + seconds
    while len(lat) < limit and time.monotonic() < end:
        t = time.perf_counter_ns()
        exchange(s)
        lat.append((time.perf_counter_ns() - t) / 1000)
    lat.sort()
    return lat

def pct(lat, p):
    return lat[min(len(lat) - 1, int(len(lat) * p))] if lat else 0

e = connect(echo_port)
for _ in range(200):
    exchange(e)
idle = phase(e, 5000)

stop = threading.Event()
sent = [0]
def bulk():
    b = connect(sink_port)
    chunk = b'b' * 65536
    while not stop.is_set():
        b.sendall(chunk)
        sent[0] += len(chunk)
    b.close()
t = threading.Thread(target=bulk, daemon=True)
t.start()
time.sleep(0.3)  # the bulk stream is flowing before we measure
start, before = time.monotonic(), sent[0]
busy = phase(e, 5000)
rate = (sent[0] - before) / (time.monotonic() - start) / (1 << 20)
stop.set()
print('idle_p50_us=%d idle_p99_us=%d idle_n=%d bulk_p50_us=%d bulk_p99_us=%d bulk_n=%d bulk_mib_s=%.1f' % (
    pct(idle, 0.5), pct(idle, 0.99), len(idle), pct(busy, 0.5), pct(busy, 0.99), len(busy), rate), flush=True)
