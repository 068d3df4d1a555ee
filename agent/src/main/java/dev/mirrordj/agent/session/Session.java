package dev.mirrordj.agent.session;

import dev.mirrordj.agent.dns.DnsResolver;
import dev.mirrordj.agent.fs.FileService;
import dev.mirrordj.agent.net.OutgoingService;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import dev.mirrordj.protocol.Frame;
import dev.mirrordj.protocol.FrameDecoder;
import dev.mirrordj.protocol.Lookups;
import dev.mirrordj.protocol.Message;
import dev.mirrordj.protocol.MessageCodec;
import dev.mirrordj.protocol.MessageTypes;
import dev.mirrordj.protocol.Net;
import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.ProtocolVersion;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: handshake, then requests dispatched to files (serialised per session on
 * the blocking pool), env/hostname (blocking pool), DNS (namespaced workers) and outgoing streams
 * (namespaced event loop). A malformed frame ends only this session, with a logged reason.
 */
public final class Session implements ClientSink {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  static final long HELLO_TIMEOUT_MS = 10_000;

  private final AgentContext agent;
  private final NetSocket socket;
  private final String label;
  private final Runnable onClosed;
  private final SerialExecutor fileQueue;
  private final FileService files;
  private final FileRequestExecutor fileRequests;
  private final OutgoingService outgoing;
  private final dev.mirrordj.agent.incoming.IncomingSession incoming;
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean greeted;
  private io.vertx.core.Context context;
  private dev.mirrordj.protocol.FairFrameWriter writer;
  private ClientWriter out;

  public Session(AgentContext agent, NetSocket socket, long id, Runnable onClosed) {
    this.agent = agent;
    this.socket = socket;
    this.label = "session " + id + " " + socket.remoteAddress();
    this.onClosed = onClosed;
    this.fileQueue = new SerialExecutor(agent.blockingPool());
    this.files = new FileService(agent.paths());
    this.fileRequests = new FileRequestExecutor(files);
    this.outgoing = new OutgoingService(agent.nsVertx(), agent.paths(), this, label);
    this.incoming =
        new dev.mirrordj.agent.incoming.IncomingSession(
            dev.mirrordj.agent.incoming.IncomingTraffic.of(agent.target().pid(), agent.nsVertx()),
            this,
            agent.blockingPool(),
            label);
  }

  public void start() {
    context = io.vertx.core.Vertx.currentContext();
    writer = new dev.mirrordj.protocol.FairFrameWriter(socket, context);
    out = new ClientWriter(writer, closed::get);
    // a connection that never says HELLO would keep the agent alive forever (it counts as a client)
    io.vertx.core.Vertx.currentContext()
        .owner()
        .setTimer(
            HELLO_TIMEOUT_MS,
            t -> {
              if (!greeted && !closed.get()) {
                fail("no HELLO within " + HELLO_TIMEOUT_MS / 1000 + " s");
              }
            });
    FrameDecoder decoder = new FrameDecoder(this::onFrame);
    socket.handler(
        buf -> {
          if (closed.get()) {
            return;
          }
          try {
            decoder.feed(buf);
          } catch (ProtocolException e) {
            fail("protocol error: " + e.getMessage());
          }
        });
    socket.closeHandler(v -> cleanup("client disconnected"));
    socket.exceptionHandler(e -> log.debug("[{}] socket error: {}", label, e.toString()));
  }

  private void onFrame(Frame frame) {
    if (closed.get()) {
      return;
    }
    Message m;
    try {
      m = MessageCodec.decode(frame);
    } catch (MessageCodec.UnknownMessageException e) {
      if (!greeted) {
        fail(
            "first frame must be HELLO, got unknown type " + String.format("0x%04X", frame.type()));
      } else if (frame.requestId() != 0) {
        send(new Control.ErrorReply(Errno.ENOSYS, e.getMessage()), frame.requestId());
      }
      return;
    }
    if (!greeted) {
      greet(m, frame.requestId());
      return;
    }
    dispatch(m, frame.requestId());
  }

  private void greet(Message m, int id) {
    if (!(m instanceof Control.Hello hello)) {
      fail("first frame must be HELLO, got " + MessageTypes.name(m.type()));
      return;
    }
    if (hello.major() != ProtocolVersion.MAJOR) {
      send(
          new Control.ErrorReply(
              Errno.EPROTO,
              "protocol "
                  + hello.major()
                  + "."
                  + hello.minor()
                  + " is not supported; this agent speaks "
                  + ProtocolVersion.text()),
          id);
      fail(
          "client speaks protocol "
              + hello.major()
              + "."
              + hello.minor()
              + ", agent "
              + ProtocolVersion.text());
      return;
    }
    greeted = true;
    log.info(
        "[{}] client '{}' connected (protocol {}.{})",
        label,
        hello.clientName(),
        hello.major(),
        hello.minor());
    send(
        new Control.HelloOk(
            ProtocolVersion.MAJOR,
            ProtocolVersion.MINOR,
            agent.version(),
            agent.target().isTargetless()),
        id);
  }

  private void dispatch(Message m, int id) {
    if (m instanceof Control.Ping) {
      send(new Control.Pong(), id);
    } else if (m instanceof Control.Pong || m instanceof Control.Hello) {
      // a late pong needs nothing; a second hello is ignored
    } else if (FileRequestExecutor.handles(m)) {
      fileQueue.execute(() -> fileRequests.execute(m, id, this));
    } else if (m instanceof Lookups.GetEnv e) {
      blocking(id, () -> new Lookups.EnvReply(agent.env().read(e.include(), e.exclude())));
    } else if (m instanceof Lookups.GetHostname) {
      blocking(id, () -> new Lookups.NameReply(Lookups.EAI_OK, agent.hostname().read()));
    } else if (m instanceof Lookups.Resolve r) {
      inTargetNet(id, () -> DnsReplies.addrInfo(agent.dns(), r));
    } else if (m instanceof Lookups.Reverse r) {
      inTargetNet(id, () -> DnsReplies.reverse(agent.dns(), r));
    } else if (m instanceof Net.Connect c) {
      outgoing.connect(c, id);
    } else if (m instanceof Net.Data d) {
      outgoing.data(d);
    } else if (m instanceof Net.Credit c) {
      outgoing.credit(c);
    } else if (m instanceof Net.Shutdown s) {
      outgoing.shutdown(s);
    } else if (m instanceof Net.Close c) {
      outgoing.close(c);
    } else if (dev.mirrordj.agent.incoming.IncomingSession.handles(m)) {
      incoming.handle(m, id);
    } else if (id != 0) {
      send(
          new Control.ErrorReply(
              Errno.ENOSYS, MessageTypes.name(m.type()) + " is not a request the agent serves"),
          id);
    }
  }

  private void blocking(int id, Callable<Message> work) {
    agent.blockingPool().execute(() -> send(run(work), id));
  }

  /** DNS sockets must be created in the target's netns: the namespaced Vert.x workers are. */
  private void inTargetNet(int id, Callable<Message> work) {
    agent.nsVertx().executeBlocking(() -> run(work), false).onSuccess(reply -> send(reply, id));
  }

  private Message run(Callable<Message> work) {
    try {
      return work.call();
    } catch (Exception e) {
      log.warn("[{}] request failed: {}", label, e.toString());
      return new Control.ErrorReply(Errno.EIO, e.toString());
    }
  }

  @Override
  public void send(Message message, int requestId) {
    out.send(message, requestId);
  }

  @Override
  public void awaitFetchRoom(int requestId) throws InterruptedException {
    out.awaitFetchRoom(requestId);
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  /** Tells the client why and closes its connection; nobody else is affected. */
  public void fail(String reason) {
    log.warn("[{}] closing connection: {}", label, reason);
    send(new Control.Goodbye(reason), 0);
    socket.close();
    cleanup(reason);
  }

  private void cleanup(String reason) {
    if (closed.compareAndSet(false, true)) {
      writer.close();
      log.info("[{}] session ended: {}", label, reason);
      outgoing.closeAll();
      incoming.closeAll();
      fileQueue.execute(files::close);
      onClosed.run();
    }
  }

  /** DNS answers built from {@link DnsResolver} results. */
  private static final class DnsReplies {
    static Message addrInfo(DnsResolver dns, Lookups.Resolve r) throws Exception {
      DnsResolver.Result res = dns.resolve(r.name(), r.family());
      var records = new java.util.ArrayList<Lookups.AddrRecord>();
      for (var a : res.addresses()) {
        if (r.socktype() == 0 || r.socktype() == 1)
          records.add(new Lookups.AddrRecord(a.getAddress(), 1, 6));
        if (r.socktype() == 0 || r.socktype() == 2)
          records.add(new Lookups.AddrRecord(a.getAddress(), 2, 17));
      }
      return new Lookups.AddrInfoReply(res.status(), res.canonicalName(), records);
    }

    static Message reverse(DnsResolver dns, Lookups.Reverse r) throws Exception {
      DnsResolver.Result res = dns.reverse(java.net.InetAddress.getByAddress(r.address()));
      return new Lookups.NameReply(res.status(), res.canonicalName());
    }
  }
}
