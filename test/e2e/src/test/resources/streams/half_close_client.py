# In the cluster: send a payload, shutdown(SHUT_WR), read the whole answer to EOF.
# Usage: half_close_client.py HOST PORT SIZE
import hashlib, socket, sys

host, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
payload = bytes((i * 13 + 5) % 253 for i in range(size))
s = socket.create_connection((host, port), timeout=20)
s.sendall(payload)
s.shutdown(socket.SHUT_WR)
got = bytearray()
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
expected = ("got %d %s\n" % (size, hashlib.sha256(payload).hexdigest())).encode() * 2000
print("answer=%s bytes=%d" % (got == expected, len(got)))
