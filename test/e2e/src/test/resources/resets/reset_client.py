# A client in the cluster namespace: sends one line (raw or as an HTTP request head) and reports
# how the stream ended ("eof <bytes>" or "reset <bytes>"; an HTTP answer that is complete by its
# Content-Length is "done <bytes>", the connection staying open for more requests); with
# "reset-me" it resets the connection itself after a pause instead and reports "sent-reset".
import socket, struct, sys, time

host, port, what, http = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == 'http'
c = socket.create_connection((host, port), timeout=20)
if http:
    c.sendall(('GET /' + what + ' HTTP/1.1\r\nHost: pod\r\nX-User: alice\r\n\r\n').encode())
else:
    c.sendall((what + '\n').encode())
if what == 'reset-me':
    time.sleep(1.0)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
    print('sent-reset')
    sys.exit(0)


def complete(got):
    head, sep, body = got.partition(b'\r\n\r\n')
    if not http or not sep:
        return False
    for line in head.split(b'\r\n')[1:]:
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'content-length':
            return len(body) >= int(value)
    return False


got = b''
try:
    while True:
        b = c.recv(65536)
        if b and complete(got + b):
            print('done', (got + b).decode(errors='replace').replace('\r\n', '|'))
            break
        if not b:
            print('eof', got.decode(errors='replace').replace('\r\n', '|'))
            break
        got += b
except ConnectionResetError:
    print('reset', got.decode(errors='replace').replace('\r\n', '|'))
