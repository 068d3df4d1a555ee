# Opens new connections at a steady rate, one HTTP/1.1 request each (Connection: close), and reads
# each answer to EOF within a timeout. Prints one summary line:
#   sent=N ok=N pod=N local=N failed=N first_failures=[...]
# then one line per failed connection: "failure <start epoch ms> <id> <error>". As soon as the first
# request is answered it prints "flowing", so a test can start its changes under a running load.
# Usage: rate_client.py HOST PORT RATE_PER_S DURATION_S TIMEOUT_S
import asyncio, sys, time

host, port = sys.argv[1], int(sys.argv[2])
rate, duration, timeout = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
stats = {"ok": 0, "pod": 0, "local": 0}
failures = []

async def one(i):
    started = time.time()
    try:
        async def exchange():
            r, w = await asyncio.open_connection(host, port)
            w.write(b"GET /r-%d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % i)
            await w.drain()
            data = await r.read()
            w.close()
            return data
        data = await asyncio.wait_for(exchange(), timeout)
        if not data.startswith(b"HTTP/1.1 200") or b" GET /r-%d " % i not in data + b" ":
            raise ValueError("bad answer %r" % data[:80])
        stats["ok"] += 1
        if stats["ok"] == 1:
            print("flowing", flush=True)
        body = data.split(b"\r\n\r\n", 1)[1]
        stats["pod" if body.startswith(b"pod ") else "local"] += 1
    except Exception as e:
        failures.append((int(started * 1000), i, type(e).__name__ if str(e) == "" else type(e).__name__ + " " + str(e)[:60]))

async def main():
    tasks = []
    start = time.monotonic()
    n = int(rate * duration)
    for i in range(n):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(i)))
    await asyncio.gather(*tasks)
    print("sent=%d ok=%d pod=%d local=%d failed=%d first_failures=%s"
          % (n, stats["ok"], stats["pod"], stats["local"], len(failures), ["%d:%s" % (f[1], f[2]) for f in failures[:10]]), flush=True)
    for f in failures:
        print("failure %d %d %s" % f, flush=True)

asyncio.run(main())
