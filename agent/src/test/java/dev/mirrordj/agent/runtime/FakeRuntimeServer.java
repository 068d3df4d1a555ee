package dev.mirrordj.agent.runtime;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.mirrordj.protocol.ContainerRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a node's container runtime, listening on a unix socket and answering in the shape
 * of the real API: Docker Engine {@code GET /containers/{id}/json}, CRI-O {@code GET
 * /containers/{id}}, containerd gRPC {@code Tasks/Get} and {@code Containers/Get} (HTTP/2, protobuf
 * encoded with the official protobuf-java runtime, independent of the agent's hand-written codec).
 * Containers are registered with {@link #add}; anything else is "not found" as the real runtime
 * would say it.
 */
public final class FakeRuntimeServer implements AutoCloseable {
  /** A container the fake runtime knows: its main PID (0 = created, not running) and env. */
  public record Container(int pid, List<String> env) {}

  private final ContainerRuntime runtime;
  private final Map<String, Container> containers = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final Path socket;

  /** The containerd namespace header of the last gRPC call, so tests can assert it was sent. */
  volatile String lastNamespace;

  private FakeRuntimeServer(Vertx vertx, ContainerRuntime runtime, Path socket) {
    this.runtime = runtime;
    this.socket = socket;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  /** Starts a fake runtime on {@code socket} (parent directories are created). */
  public static FakeRuntimeServer start(Vertx vertx, ContainerRuntime runtime, Path socket)
      throws IOException {
    Files.createDirectories(socket.getParent());
    FakeRuntimeServer fake = new FakeRuntimeServer(vertx, runtime, socket);
    fake.server.listen(SocketAddress.domainSocketAddress(socket.toString())).await();
    return fake;
  }

  public FakeRuntimeServer add(String id, int pid, List<String> env) {
    containers.put(id, new Container(pid, env));
    return this;
  }

  public Path socket() {
    return socket;
  }

  private void handle(HttpServerRequest req) {
    switch (runtime) {
      case DOCKER -> docker(req);
      case CRI_O -> crio(req);
      case CONTAINERD -> req.body().onSuccess(body -> containerd(req, body.getBytes()));
    }
  }

  private void docker(HttpServerRequest req) {
    // The engine accepts an optional API version prefix, e.g. /v1.43/containers/{id}/json.
    String path = req.path().replaceFirst("^/v[0-9.]+/", "/");
    String[] parts = path.split("/");
    if (!req.method().name().equals("GET") || parts.length != 4 || !parts[3].equals("json")) {
      req.response()
          .setStatusCode(404)
          .end(new JsonObject().put("message", "page not found").encode());
      return;
    }
    Container c = containers.get(parts[2]);
    if (c == null) {
      req.response()
          .setStatusCode(404)
          .putHeader("content-type", "application/json")
          .end(new JsonObject().put("message", "No such container: " + parts[2]).encode());
      return;
    }
    JsonObject state =
        new JsonObject()
            .put("Status", c.pid() > 0 ? "running" : "created")
            .put("Running", c.pid() > 0)
            .put("Pid", c.pid())
            .put("ExitCode", 0);
    JsonObject body =
        new JsonObject()
            .put("Id", parts[2])
            .put("Name", "/k8s_app")
            .put("State", state)
            .put(
                "Config",
                new JsonObject().put("Env", new JsonArray(c.env())).put("Image", "app:1"));
    req.response().putHeader("content-type", "application/json").end(body.encode());
  }

  private void crio(HttpServerRequest req) {
    String[] parts = req.path().split("/");
    Container c =
        parts.length == 3 && parts[1].equals("containers") ? containers.get(parts[2]) : null;
    if (c == null) {
      req.response()
          .setStatusCode(404)
          .end("can't find the container with id " + parts[parts.length - 1]);
      return;
    }
    JsonObject body =
        new JsonObject()
            .put("name", "k8s_app_pod_default")
            .put("pid", c.pid())
            .put("image", "app:1")
            .put("created_time", 1700000000000000000L)
            .put("labels", new JsonObject())
            .put("annotations", new JsonObject())
            .put("crio_annotations", new JsonObject())
            .put("log_path", "/var/log/pods/x.log")
            .put("root", "/var/lib/containers/storage/overlay/x/merged")
            .put("sandbox", "abc")
            .put("ip_addresses", new JsonArray().add("10.244.0.5"));
    req.response().putHeader("content-type", "application/json").end(body.encode());
  }

  private void containerd(HttpServerRequest req, byte[] body) {
    lastNamespace = req.getHeader("containerd-namespace");
    try {
      if (!"application/grpc".equals(req.getHeader("content-type"))
          || body.length < 5
          || body[0] != 0) {
        grpcError(req, 13, "malformed gRPC request");
        return;
      }
      String id = null;
      CodedInputStream in = CodedInputStream.newInstance(body, 5, body.length - 5);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == (1 << 3 | 2)) {
          id = in.readString();
        } else {
          in.skipField(tag);
        }
      }
      if (req.path().equals("/containerd.services.namespaces.v1.Namespaces/List")) {
        // ListNamespacesResponse { repeated Namespace namespaces = 1; } Namespace { name = 1; }
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(list);
        for (String ns : List.of("default", "k8s.io")) {
          ByteArrayOutputStream one = new ByteArrayOutputStream();
          CodedOutputStream n = CodedOutputStream.newInstance(one);
          n.writeString(1, ns);
          n.flush();
          o.writeByteArray(1, one.toByteArray());
        }
        o.flush();
        byte[] reply = list.toByteArray();
        req.response()
            .putHeader("content-type", "application/grpc")
            .putTrailer("grpc-status", "0")
            .end(Buffer.buffer().appendByte((byte) 0).appendInt(reply.length).appendBytes(reply));
        return;
      }
      Container c = "k8s.io".equals(lastNamespace) && id != null ? containers.get(id) : null;
      if (c == null) {
        grpcError(
            req, 5, "container \"" + id + "\" in namespace \"" + lastNamespace + "\": not found");
        return;
      }
      byte[] reply =
          switch (req.path()) {
            case "/containerd.services.tasks.v1.Tasks/Get" -> taskResponse(id, c);
            case "/containerd.services.containers.v1.Containers/Get" -> containerResponse(id, c);
            default -> null;
          };
      if (reply == null) {
        grpcError(req, 12, "unknown method " + req.path());
        return;
      }
      Buffer framed =
          Buffer.buffer().appendByte((byte) 0).appendInt(reply.length).appendBytes(reply);
      req.response()
          .putHeader("content-type", "application/grpc")
          .putTrailer("grpc-status", "0")
          .end(framed);
    } catch (IOException e) {
      grpcError(req, 13, e.getMessage());
    }
  }

  private static void grpcError(HttpServerRequest req, int code, String message) {
    // A "trailers-only" answer, as grpc-go sends for an immediate error.
    req.response()
        .putHeader("content-type", "application/grpc")
        .putHeader("grpc-status", "" + code)
        .putHeader("grpc-message", message.replace("%", "%25"))
        .end();
  }

  private static byte[] taskResponse(String id, Container c) throws IOException {
    // containerd.v1.types.Process: container_id=1, exec_id=2, pid=3, status=4 (enum), stdin=6 …
    ByteArrayOutputStream process = new ByteArrayOutputStream();
    CodedOutputStream p = CodedOutputStream.newInstance(process);
    p.writeString(1, id);
    p.writeUInt32(3, c.pid());
    p.writeEnum(4, c.pid() > 0 ? 2 : 1); // RUNNING : CREATED
    p.writeString(6, "/run/containerd/fifo/stdin");
    p.writeFixed64(9, 42L); // an unknown-to-us fixed64 field the client must skip
    p.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, process.toByteArray());
    o.flush();
    return out.toByteArray();
  }

  private static byte[] containerResponse(String id, Container c) throws IOException {
    JsonObject spec =
        new JsonObject()
            .put("ociVersion", "1.1.0")
            .put(
                "process",
                new JsonObject()
                    .put("args", new JsonArray().add("app"))
                    .put("env", new JsonArray(c.env()))
                    .put("cwd", "/"));
    ByteArrayOutputStream any = new ByteArrayOutputStream();
    CodedOutputStream a = CodedOutputStream.newInstance(any);
    a.writeString(1, "types.containerd.io/opencontainers/runtime-spec/1/Spec");
    a.writeByteArray(2, spec.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    a.flush();
    ByteArrayOutputStream container = new ByteArrayOutputStream();
    CodedOutputStream ct = CodedOutputStream.newInstance(container);
    ct.writeString(1, id);
    ct.writeString(3, "docker.io/library/app:1");
    ct.writeByteArray(5, any.toByteArray());
    ct.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, container.toByteArray());
    o.flush();
    return out.toByteArray();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
