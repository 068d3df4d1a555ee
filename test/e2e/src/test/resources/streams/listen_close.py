# Under run (steal): listen on PORT and close the listener 13 ms later, CYCLES times; before each
# cycle wait for DIR/go-<i>, after it print "closed <i>".
import os, socket, sys, time

port, cycles, d = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(cycles):
    while not os.path.exists(os.path.join(d, "go-%d" % i)):
        time.sleep(0.01)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    time.sleep(0.013)
    s.close()
    print("closed %d" % i, flush=True)
