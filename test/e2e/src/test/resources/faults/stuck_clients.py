# Stuck exchanges for F7 (cluster namespace, matching header): N uploads of 10 MiB to a local
# handler that does not read them, and N requests the local program answers only after its delay.
# Each runs in its own thread; prints how each ended, then "stuck done".
import http.client, sys, threading

host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def upload(i):
    try:
        c = http.client.HTTPConnection(host, port, timeout=30)
        c.request('POST', '/stuck-%d' % i, body=b'x' * (10 * 1024 * 1024), headers={'X-User': 'alice'})
        print('upload', i, c.getresponse().status, flush=True)
    except Exception as e:
        print('upload', i, type(e).__name__, flush=True)


def slow(i):
    try:
        c = http.client.HTTPConnection(host, port, timeout=30)
        c.request('GET', '/slow-%d' % i, headers={'X-User': 'alice'})
        print('slow', i, c.getresponse().status, flush=True)
    except Exception as e:
        print('slow', i, type(e).__name__, flush=True)


ts = [threading.Thread(target=upload, args=(i,)) for i in range(n)]
ts += [threading.Thread(target=slow, args=(i,)) for i in range(n)]
for t in ts:
    t.start()
print('stuck started', flush=True)
for t in ts:
    t.join()
print('stuck done', flush=True)
