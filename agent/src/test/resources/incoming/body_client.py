# Sends the requests described on the command line over ONE keep-alive connection and prints, per
# request, the response body and " sent=<sha256 prefix of the body sent>".
# Usage: body_client.py HOST PORT 'METHOD PATH|Header: v|@json=TEXT|@big=N|@chunked|@slow=MS' ...
#   @json=TEXT  body is TEXT (Content-Type: application/json)
#   @big=N      body is N deterministic bytes that are not JSON
#   @chunked    send the body with chunked transfer encoding
#   @slow=MS    send half of the body, wait MS milliseconds, then the rest
import hashlib, http.client, sys, time
host, port = sys.argv[1], int(sys.argv[2])
c = http.client.HTTPConnection(host, port, timeout=30)
for spec in sys.argv[3:]:
    parts = spec.split("|")
    method, path = parts[0].split(" ", 1)
    headers, body, chunked, slow = {}, None, False, 0
    for p in parts[1:]:
        if p.startswith("@json="):
            body = p[len("@json="):].encode()
            headers["Content-Type"] = "application/json"
        elif p.startswith("@big="):
            n = int(p[len("@big="):])
            body = (bytes(range(256)) * (n // 256 + 1))[:n]
        elif p == "@chunked":
            chunked = True
        elif p.startswith("@slow="):
            slow = int(p[len("@slow="):])
        else:
            k, v = p.split(": ", 1)
            headers[k] = v
    sent = hashlib.sha256(body or b"").hexdigest()[:16]
    if body is not None and (chunked or slow):
        half = len(body) // 2
        def parts_of(b=body, h=half):
            yield b[:h]
            if slow:
                time.sleep(slow / 1000.0)
            yield b[h:]
        if not chunked:
            headers["Content-Length"] = str(len(body))
        c.request(method, path, body=parts_of(), headers=headers, encode_chunked=chunked)
    else:
        c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    print(r.read().decode() + " sent=" + sent, flush=True)
