# Open-loop HTTP load through the pod's port (run in the cluster namespace): a new connection per
# request at a fixed rate, every other request carrying the matching header. Each finished request
# is one line: seq matched start_ms end_ms outcome (outcome: "pod", "local", "502", "status-N",
# or "error-<kind>"), times from the generator's start. Stops after the duration or when the stop
# file exists. A request's intended start is its slot, so a stall shows as latency (no coordinated
# omission).
import http.client, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

host, port, rate, duration, out, stop = (sys.argv[1], int(sys.argv[2]), float(sys.argv[3]),
                                         float(sys.argv[4]), sys.argv[5], sys.argv[6])
path_prefix = sys.argv[7] if len(sys.argv) > 7 else '/lg-'
lock = threading.Lock()
log = open(out, 'w', buffering=1)
t0 = time.monotonic()
epoch0 = time.time()


def one(seq, intended):
    matched = seq % 2 == 0
    headers = {'X-User': 'alice' if matched else 'bob'}
    try:
        c = http.client.HTTPConnection(host, port, timeout=15)
        c.request('GET', path_prefix + str(seq), headers=headers)
        r = c.getresponse()
        body = r.read().decode(errors='replace')
        c.close()
        if r.status == 200 and body.startswith('local '):
            outcome = 'local'
        elif r.status == 200:
            outcome = 'pod'
        elif r.status == 502:
            outcome = '502'
        else:
            outcome = 'status-' + str(r.status)
    except Exception as e:
        outcome = 'error-' + type(e).__name__
    end = (time.monotonic() - t0) * 1000
    with lock:
        log.write('%d %d %.1f %.1f %s\n' % (seq, 1 if matched else 0, intended * 1000, end, outcome))


print('started %d' % int(epoch0 * 1000), flush=True)
with ThreadPoolExecutor(max_workers=64) as pool:
    seq = 0
    while True:
        intended = seq / rate
        if intended > duration or os.path.exists(stop):
            break
        delay = t0 + intended - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        pool.submit(one, seq, intended)
        seq += 1
print('finished', seq, flush=True)
