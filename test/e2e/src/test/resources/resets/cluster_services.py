# Two services in the cluster namespace: on the first port answer "partial" and reset; on the
# second read until the peer ends and append how it ended ("eof" / "reset") to a log file.
import socket, struct, sys, threading

host, resetting, watching, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(16)
    return s


def resetter(s):
    while True:
        c, _ = s.accept()
        c.recv(100)
        c.sendall(b'partial')
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        c.close()


def watcher(s):
    while True:
        c, _ = s.accept()
        try:
            while c.recv(65536):
                pass
            how = 'eof'
        except ConnectionResetError:
            how = 'reset'
        with open(log, 'a') as f:
            f.write(how + '\n')
        c.close()


a, b = listen(resetting), listen(watching)
threading.Thread(target=resetter, args=(a,), daemon=True).start()
print('listening', flush=True)
watcher(b)
