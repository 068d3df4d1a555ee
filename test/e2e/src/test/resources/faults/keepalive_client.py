# One keep-alive connection (cluster namespace), matching header on every request: request 0, then
# wait for the go file, requests 1 and 2 on the same connection, then request 3 on a new
# connection. Prints "<i> <status> <body>" per request ("<i> error <kind>" on failure).
import http.client, os, sys, time

host, port, go = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = http.client.HTTPConnection(host, port, timeout=15)


def get(conn, i):
    try:
        conn.request('GET', '/ka-%d' % i, headers={'X-User': 'alice'})
        r = conn.getresponse()
        print(i, r.status, r.read().decode().strip(), flush=True)
    except Exception as e:
        print(i, 'error', type(e).__name__, flush=True)


get(c, 0)
while not os.path.exists(go):
    time.sleep(0.05)
get(c, 1)
get(c, 2)
fresh = http.client.HTTPConnection(host, port, timeout=15)
get(fresh, 3)
print('done', flush=True)
