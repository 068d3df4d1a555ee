# Open-loop paced HTTP/1.1 load for B4: RATE requests/s for SECONDS over CONNS keep-alive
# connections, each request a unique path. Prints "sent=N late=M" (late = requests that could not
# start on schedule because the machine was too busy: the offered rate was not fully met).
import http.client, sys, threading, time
host, port, rate, seconds, conns = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
per_conn = rate / conns
sent = [0] * conns
late = [0] * conns
def run(c):
    h = http.client.HTTPConnection(host, port, timeout=10)
    start = time.monotonic()
    i = 0
    while True:
        due = start + i / per_conn
        if due - start >= seconds:
            break
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        elif now - due > 0.05:
            late[c] += 1
        h.request('GET', '/p-%d-%d' % (c, i))
        h.getresponse().read()
        sent[c] += 1
        i += 1
ts = [threading.Thread(target=run, args=(c,)) for c in range(conns)]
[t.start() for t in ts]; [t.join() for t in ts]
print('sent=%d late=%d' % (sum(sent), sum(late)))
