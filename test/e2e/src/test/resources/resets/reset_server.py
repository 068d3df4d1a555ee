# The local program of the reset tests (run under the layer): a raw TCP server that reads the first
# line of each connection and, by what it names, waits to be reset, resets its client after a
# partial answer, resets without answering, or answers a short HTTP response.
import socket, struct, sys, threading, time

port = int(sys.argv[1])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('0.0.0.0', port))
srv.listen(64)
print('listening', port, flush=True)


def reset(c):
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()


def serve(c):
    data = b''
    while b'\n' not in data:
        b = c.recv(4096)
        if not b:
            c.close()
            return
        data += b
    first = data.split(b'\n')[0]
    http = first.startswith(b'GET ')
    if b'reset-me' in first:
        print('local got reset-me', flush=True)
        try:
            while c.recv(65536):
                pass
            print('local saw eof', flush=True)
        except ConnectionResetError:
            print('local saw reset', flush=True)
        c.close()
    elif b'reset-you' in first:
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial' if http else b'partial')
        time.sleep(0.3)
        reset(c)
    elif b'die-before-answer' in first:
        reset(c)
    else:
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nlocal\n')
        c.close()


while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
