package dev.mirrordj.verticles.proxy;

import dev.mirrordj.layerbridge.LayerPeer;
import dev.mirrordj.layerbridge.msg.Errnos;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import dev.mirrordj.layerbridge.msg.SockAddr;
import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Outgoing connections, datagrams, DNS and hostname for the layer. */
final class NetworkRequests {
    private final Vertx vertx;
    private final ProxySettings settings;
    private final OutgoingPolicy policy;
    private final RemoteTarget remote;
    private final Path unixDir;
    private final AtomicLong unixIds = new AtomicLong();
    /** One datagram interceptor per (process, destination): sendto asks for every datagram. */
    private final Map<String, Future<DatagramInterceptor>> datagrams = new ConcurrentHashMap<>();
    private volatile Future<String> hostname;

    NetworkRequests(Vertx vertx, ProxySettings settings, OutgoingPolicy policy, RemoteTarget remote, Path unixDir) {
        this.vertx = vertx;
        this.settings = settings;
        this.policy = policy;
        this.remote = remote;
        this.unixDir = unixDir;
    }

    Future<LayerReply> connect(LayerPeer peer, LayerRequest.Connect c) {
        boolean stream = c.type() == LayerRequest.SockType.STREAM;
        SockAddr target = c.address();
        if (!policy.isRemote(stream, target)) return Future.succeededFuture(LayerReply.LOCAL);
        String context = peer + " -> " + target;
        if (stream) {
            if (settings.tcpPing4Mock() && target.isInet() && target.port() == 7) {
                return StreamInterceptor.start(vertx, null, null, context).map(LayerReply.Redirect::new);
            }
            Path unixPath = target.isInet() ? null : unixDir.resolve("out-" + unixIds.incrementAndGet() + ".sock");
            return remote.connectStream(target)
                    .compose(conn -> StreamInterceptor.start(vertx, conn, unixPath, context))
                    .map(LayerReply.Redirect::new);
        }
        if (!target.isInet()) return Future.succeededFuture(LayerReply.LOCAL);
        String key = peer.pid() + "|" + target;
        Future<DatagramInterceptor> f = datagrams.computeIfAbsent(key,
                k -> remote.openDatagram(target).compose(conn -> DatagramInterceptor.start(vertx, conn)));
        return f.map(i -> (LayerReply) new LayerReply.Redirect(i.address()))
                .onFailure(e -> datagrams.remove(key));
    }

    /** Closes the datagram interceptors of a process once its last connection is gone. */
    void processGone(int pid) {
        datagrams.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(pid + "|")) return false;
            e.getValue().onSuccess(DatagramInterceptor::close);
            return true;
        });
    }

    Future<LayerReply> dns(LayerRequest.Dns d) {
        if (!settings.dns()) return Future.succeededFuture(LayerReply.LOCAL);
        return remote.resolve(d.node()).map(list -> {
            if (list.isEmpty()) return (LayerReply) new LayerReply.Eai(Errnos.EAI_NONAME);
            policy.remember(d.node(), list);
            return new LayerReply.Addresses(d.node(), list);
        });
    }

    Future<LayerReply> hostname() {
        if (!settings.hostname()) return Future.succeededFuture(LayerReply.LOCAL);
        Future<String> h = hostname;
        if (h == null || h.failed()) {
            h = remote.hostname();
            hostname = h;
        }
        return h.map(LayerReply.Name::new);
    }
}
