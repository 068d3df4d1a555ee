package dev.mirrordj.agent.incoming.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * TCP half-close for relayed connections. Vert.x closes a socket when its peer shuts down its
 * sending side; a byte-exact relay must instead pass the FIN on and keep the other direction open
 * (a client that sends its request and shuts down writing still waits for the answer).
 */
public final class HalfClose {

    private HalfClose() {
    }

    /**
     * Keeps the socket open when the peer shuts down its output, and calls {@code onInputShutdown}
     * (on the socket's context) when that happens. Call before reading starts.
     */
    public static void enable(NetSocket socket, Runnable onInputShutdown) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        Channel ch = internal.channelHandlerContext().channel();
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        internal.eventHandler(event -> {
            if (event instanceof ChannelInputShutdownEvent) {
                onInputShutdown.run();
            }
        });
    }

    /**
     * Enables half-close and remembers whether the peer's FIN came, so a later owner of the
     * socket (the relay chosen after protocol detection) can react to a FIN that arrived earlier.
     */
    public static Tracker track(NetSocket socket) {
        Tracker t = new Tracker();
        enable(socket, t::fire);
        return t;
    }

    /** Whether and when the peer finished sending. Used on the socket's event loop only. */
    public static final class Tracker {
        private boolean seen;
        private Runnable action = () -> { };

        private void fire() {
            seen = true;
            action.run();
        }

        public boolean seen() {
            return seen;
        }

        /** Runs {@code r} when the FIN comes, or now if it already came. Replaces earlier actions. */
        public void onShutdown(Runnable r) {
            action = r;
            if (seen) {
                r.run();
            }
        }
    }

    /** Sends FIN after what was written so far; the socket can still receive. */
    public static void shutdownOutput(NetSocket socket) {
        Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            // queued behind earlier writes on the same event loop, so no data is cut off
            ch.eventLoop().execute(duplex::shutdownOutput);
        } else {
            socket.end();
        }
    }
}
