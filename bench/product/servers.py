# The cluster side of the B5 ping-pong: a TCP echo (64 B exchanges) and a TCP sink (bulk bytes are
# read and dropped), one thread per connection. python3 servers.py HOST ECHO_PORT SINK_PORT
import socket, sys, threading

host, echo_port, sink_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def echo(c):
    with c:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            b = c.recv(65536)
            if not b:
                return
            c.sendall(b)

def sink(c):
    with c:
        while c.recv(1 << 18):
            pass

def serve(port, handler):
    s = socket.create_server((host, port), reuse_port=False)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()

threading.Thread(target=serve, args=(sink_port, sink), daemon=True).start()
print('listening', flush=True)
serve(echo_port, echo)
