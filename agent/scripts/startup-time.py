#!/usr/bin/env python3
"""Measures `mirrord agent` start -> ready line (guard + worker JVMs), N runs, targetless.

Usage: agent/scripts/startup-time.py [N] [extra java options...]
Prints each run's wall time and the CPU time (user+sys) guard and worker used until the ready line,
then min/median/max. CPU time is the steadier number on a busy machine. Stops every agent it
starts with SIGTERM (by pid).
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
jar = os.environ.get("MIRRORD_JAR", os.path.join(here, "..", "..", "cli", "target", "mirrord-fat.jar"))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
java_opts = sys.argv[2:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """user+sys of pid and its children processes (the worker), in ms."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total * 1000 / TICK


times = []
cpus = []
for i in range(runs):
    port = free_port()
    start = time.monotonic()
    p = subprocess.Popen(["java", *java_opts, "-jar", jar, "agent", "--listen", "127.0.0.1", "--port", str(port),
                          "--targetless", "--communication-timeout", "30"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline().strip()
        elapsed = (time.monotonic() - start) * 1000
        if not line.startswith("agent ready - version"):
            sys.exit("run %d: unexpected first line %r" % (i, line))
        cpu = cpu_ms(p.pid)
        times.append(elapsed)
        cpus.append(cpu)
        print("run %d: %.0f ms wall, %.0f ms cpu" % (i, elapsed, cpu), flush=True)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
print("wall min %.0f  median %.0f  max %.0f ms; cpu min %.0f  median %.0f  max %.0f ms (n=%d, load %.1f)" % (
    min(times), statistics.median(times), max(times), min(cpus), statistics.median(cpus), max(cpus), runs,
    os.getloadavg()[0]))
