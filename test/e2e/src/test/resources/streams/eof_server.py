# Reads each connection to EOF, then answers with what it got (length and a digest) and closes:
# a server that only works if the client's half-close arrives as EOF.
# Usage: eof_server.py PORT
import hashlib, socket, sys

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", int(sys.argv[1])))
srv.listen(16)
print("listening", flush=True)
while True:
    c, _ = srv.accept()
    got = bytearray()
    while True:
        b = c.recv(65536)
        if not b:
            break
        got += b
    answer = ("got %d %s\n" % (len(got), hashlib.sha256(got).hexdigest())).encode() * 2000
    c.sendall(answer)
    c.close()
    print("answered %d" % len(got), flush=True)
