# Under the layer: outgoing connections through the pod. The cluster's resetting service answers
# "partial" and resets; the cluster's watching service reports how our reset reached it.
import socket, struct, sys, time

host, resetting, watching = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = socket.create_connection((host, resetting), timeout=20)
c.sendall(b'hello\n')
got = b''
try:
    while True:
        b = c.recv(65536)
        if not b:
            print('from-service eof', got.decode(), flush=True)
            break
        got += b
except ConnectionResetError:
    print('from-service reset', got.decode(), flush=True)
c = socket.create_connection((host, watching), timeout=20)
c.sendall(b'watch\n')
time.sleep(1.0)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
c.close()
print('to-service sent-reset', flush=True)
