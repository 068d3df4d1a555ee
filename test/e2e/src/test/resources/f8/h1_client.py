# HTTP/1 edge cases through the pod's port (cluster namespace), each with the matching header
# (x-user: alice -> the local program) and without (the pod's app). One line per case:
# "<case> <user> ok <served-by>" or "<case> <user> FAIL <why>"; a reset anywhere is reported.
import hashlib, http.client, os, socket, sys

host, port = sys.argv[1], int(sys.argv[2])
BIG = bytes((i * 7) % 251 for i in range(10 * 1024 * 1024))
sha = lambda b: hashlib.sha256(b).hexdigest()
expect = {'alice': 'local', 'bob': 'pod'}


def conn():
    return http.client.HTTPConnection(host, port, timeout=60)


def report(case, user, ok, detail):
    print(case, user, 'ok' if ok else 'FAIL', detail, flush=True)


def read_head(s):
    data = b''
    while b'\r\n\r\n' not in data:
        b = s.recv(65536)
        if not b:
            raise EOFError('closed before a response head: %r' % data[:200])
        data += b
    head, _, rest = data.partition(b'\r\n\r\n')
    return head.decode(errors='replace'), rest


def header(head, name):
    for line in head.split('\r\n')[1:]:
        k, _, v = line.partition(':')
        if k.strip().lower() == name:
            return v.strip()
    return None


def read_exact(s, rest, n):
    while len(rest) < n:
        b = s.recv(65536)
        if not b:
            raise EOFError('closed after %d of %d bytes' % (len(rest), n))
        rest += b
    return rest[:n], rest[n:]


def case(name, user, fn):
    try:
        ok, detail = fn(user)
    except ConnectionResetError as e:
        ok, detail = False, 'RESET ' + str(e)
    except Exception as e:
        ok, detail = False, type(e).__name__ + ' ' + str(e)
    report(name, user, ok, detail)


def big_down(user):
    c = conn()
    c.request('GET', '/big', headers={'X-User': user})
    r = c.getresponse()
    body = r.read()
    by = r.getheader('x-served-by')
    return by == expect[user] and body == BIG, by


def big_up(user):
    c = conn()
    c.request('POST', '/echo', body=BIG, headers={'X-User': user})
    r = c.getresponse()
    body = r.read()
    by = r.getheader('x-served-by')
    return by == expect[user] and body == BIG and r.getheader('x-sha256') == sha(BIG), by


def chunked_up(user):
    c = conn()
    pieces = (BIG[i:i + 100000] for i in range(0, len(BIG), 100000))
    c.request('POST', '/echo', body=pieces, headers={'X-User': user}, encode_chunked=True)
    r = c.getresponse()
    body = r.read()
    by = r.getheader('x-served-by')
    return by == expect[user] and body == BIG, by


def chunked_down(user):
    c = conn()
    c.request('GET', '/chunked-out', headers={'X-User': user})
    r = c.getresponse()
    body = r.read()
    by = r.getheader('x-served-by')
    return by == expect[user] and body == BIG and r.getheader('transfer-encoding') == 'chunked', by


def expect_continue(user):
    body = BIG[:1 << 20]
    s = socket.create_connection((host, port), timeout=60)
    s.sendall(('POST /echo HTTP/1.1\r\nHost: pod\r\nX-User: %s\r\nContent-Length: %d\r\n'
               'Expect: 100-continue\r\n\r\n' % (user, len(body))).encode())
    head, rest = read_head(s)
    if not head.startswith('HTTP/1.1 100'):
        return False, 'no 100 Continue first: ' + head.split('\r\n')[0]
    s.sendall(body)
    head, rest = read_head_with(s, rest)
    got, _ = read_exact(s, rest, int(header(head, 'content-length')))
    by = header(head, 'x-served-by')
    return by == expect[user] and got == body, by


def read_head_with(s, rest):
    while b'\r\n\r\n' not in rest:
        b = s.recv(65536)
        if not b:
            raise EOFError('closed before the final response')
        rest += b
    head, _, rest = rest.partition(b'\r\n\r\n')
    return head.decode(errors='replace'), rest


def pipelined(_user):
    users = ['alice', 'bob', 'alice', 'bob']
    s = socket.create_connection((host, port), timeout=60)
    reqs = b''
    for i, u in enumerate(users):
        body = ('body-%d' % i).encode()
        reqs += ('POST /echo-%d HTTP/1.1\r\nHost: pod\r\nX-User: %s\r\nContent-Length: %d\r\n\r\n'
                 % (i, u, len(body))).encode() + body
    s.sendall(reqs)
    rest = b''
    seen = []
    for i, u in enumerate(users):
        head, rest = read_head_with(s, rest)
        got, rest = read_exact(s, rest, int(header(head, 'content-length')))
        seen.append('%s:%s' % (header(head, 'x-served-by'), got.decode()))
    want = ['%s:body-%d' % (expect[u], i) for i, u in enumerate(users)]
    return seen == want, ','.join(seen)


def websocket(user):
    s = socket.create_connection((host, port), timeout=60)
    s.sendall(('GET /ws HTTP/1.1\r\nHost: pod\r\nX-User: %s\r\nUpgrade: websocket\r\n'
               'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n'
               'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n' % user).encode())
    head, rest = read_head(s)
    if not head.startswith('HTTP/1.1 101'):
        return False, 'no 101: ' + head.split('\r\n')[0]
    frames = os.urandom(256 * 1024)
    s.sendall(frames)
    got, _ = read_exact(s, rest, len(frames))
    s.shutdown(socket.SHUT_WR)
    tail = s.recv(10)
    by = header(head, 'x-served-by')
    return by == expect[user] and got == frames and tail == b'', by


def not_http(_user):
    s = socket.create_connection((host, port), timeout=60)
    sent = b'THIS IS NOT HTTP!\n'
    s.sendall(sent)
    got = b''
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    return got == b'NOT-HTTP pod ' + sent, repr(got)


for name, fn in [('big-down', big_down), ('big-up', big_up), ('chunked-up', chunked_up),
                 ('chunked-down', chunked_down), ('expect-continue', expect_continue),
                 ('websocket', websocket)]:
    for user in ('alice', 'bob'):
        case(name, user, fn)
case('pipelined', 'mixed', pipelined)
case('not-http', 'none', not_http)
print('all done', flush=True)
