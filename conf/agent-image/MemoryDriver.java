import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import io.vertx.core.Vertx;

/** Measurement client for measure-memory.sh: connects to an agent, pings, fetches a file, then holds the session until stdin closes. */
public class MemoryDriver {
  public static void main(String[] a) throws Exception {
    Vertx vertx = Vertx.vertx();
    AgentClient c = AgentClient.connect(vertx, "127.0.0.1", Integer.parseInt(a[0]), new AgentClientOptions()).await();
    for (int i = 0; i < 200; i++) {
      c.ping().await();
      c.fetchFile("/etc/os-release").await();
    }
    System.out.println("driven");
    System.out.flush();
    System.in.read();
    c.close().await();
    vertx.close().await();
  }
}
