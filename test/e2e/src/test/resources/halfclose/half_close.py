# Half-close client: connect, optionally wait, send a known payload, shutdown(SHUT_WR), read to EOF.
# Usage: half_close.py tcp HOST PORT DELAY_MS SIZE | unix PATH DELAY_MS SIZE
import hashlib, socket, sys, time

def main(argv):
    if argv[0] == "tcp":
        s = socket.create_connection((argv[1], int(argv[2])), timeout=30)
        rest = argv[3:]
    else:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(30)
        s.connect(argv[1])
        rest = argv[2:]
    delay_ms, size = int(rest[0]), int(rest[1])
    payload = bytes((i * 7 + 3) % 251 for i in range(size))
    if delay_ms:
        time.sleep(delay_ms / 1000)
    s.sendall(payload)
    s.shutdown(socket.SHUT_WR)
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    print("sent=%d got=%d same=%s" % (size, len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(payload).hexdigest()), flush=True)

main(sys.argv[1:])
