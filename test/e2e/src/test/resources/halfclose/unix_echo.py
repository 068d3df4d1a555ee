# Unix-stream echo server for a pod: echoes until the peer half-closes, then half-closes too.
import os, socket, sys, threading

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(64)

def echo(c):
    with c:
        while True:
            d = c.recv(262144)
            if not d:
                c.shutdown(socket.SHUT_WR)
                return
            c.sendall(d)

while True:
    conn, _ = srv.accept()
    threading.Thread(target=echo, args=(conn,), daemon=True).start()
