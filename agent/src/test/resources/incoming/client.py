# Test client: sends requests described on the command line over ONE keep-alive connection and
# prints each response body on its own line. Usage: client.py HOST PORT 'METHOD PATH|Header: v|...' ...
# POST sends 100,000 bytes; BIGPOST sends a 3,000,000-byte POST (several flow-control windows).
import http.client, sys
host, port = sys.argv[1], int(sys.argv[2])
c = http.client.HTTPConnection(host, port, timeout=10)
for spec in sys.argv[3:]:
    parts = spec.split("|")
    method, path = parts[0].split(" ", 1)
    headers = dict(p.split(": ", 1) for p in parts[1:])
    body = b"x" * 100000 if method == "POST" else None
    if method == "BIGPOST":
        method, body = "POST", b"y" * 3000000
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    print(r.read().decode())
