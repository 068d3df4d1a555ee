package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.net.HalfClose;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Relays raw bytes both ways between a client connection and an upstream, unchanged, with
 * backpressure on both sides and TCP half-close passed through (a FIN from one side becomes a
 * FIN to the other while the reverse direction keeps flowing). Both sides are closed once both
 * directions finished or either side closed. Used for raw TCP, whole-port steals, HTTP/2 without
 * stream routing, and after an upgrade.
 */
public final class Splice {

    private final NetSocket client;
    private final Upstream upstream;
    private final Runnable onClosed;
    private boolean clientDone;
    private boolean upstreamDone;
    private boolean closed;

    private Splice(NetSocket client, Upstream upstream, Runnable onClosed) {
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
    }

    /**
     * Starts relaying. {@code pending} holds client bytes already read (protocol detection, or
     * bytes after an upgrade request) and is sent first. Half-close must already be enabled on
     * the client socket from the start ({@link HalfClose#track}), so a FIN that came earlier is seen.
     */
    public static void start(NetSocket client, HalfClose.Tracker clientFin, Upstream upstream, Buffer pending,
                             Runnable onClosed) {
        new Splice(client, upstream, onClosed).run(clientFin, pending);
    }

    private void run(HalfClose.Tracker clientFin, Buffer pending) {
        if (pending != null && pending.length() > 0) {
            upstream.write(pending);
        }
        client.handler(data -> {
            upstream.write(data);
            if (upstream.writeQueueFull()) {
                client.pause();
                upstream.drainHandler(v -> client.resume());
            }
        });
        upstream.handler(data -> {
            client.write(data);
            if (client.writeQueueFull()) {
                upstream.pause();
                client.drainHandler(v -> upstream.resume());
            }
        });
        clientFin.onShutdown(() -> {
            clientDone = true;
            upstream.shutdownOutput();
            closeIfBothDone();
        });
        upstream.inputShutdownHandler(v -> {
            upstreamDone = true;
            HalfClose.shutdownOutput(client);
            closeIfBothDone();
        });
        client.closeHandler(v -> {
            clientDone = upstreamDone = true;
            upstream.end();
            finish();
        });
        upstream.closeHandler(v -> {
            clientDone = upstreamDone = true;
            client.end();
            finish();
        });
        upstream.resume();
        if (!clientDone) {
            client.resume();
        }
    }

    private void closeIfBothDone() {
        if (clientDone && upstreamDone) {
            client.end();
            upstream.end();
            finish();
        }
    }

    private void finish() {
        if (!closed) {
            closed = true;
            onClosed.run();
        }
    }
}
