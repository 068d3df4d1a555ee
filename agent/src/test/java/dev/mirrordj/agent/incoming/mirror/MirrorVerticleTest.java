package dev.mirrordj.agent.incoming.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.agent.bus.AgentAddresses;
import dev.mirrordj.agent.bus.AgentMessages;
import dev.mirrordj.agent.incoming.IncomingClients;
import dev.mirrordj.agent.incoming.PodNetwork;
import dev.mirrordj.sniffer.CaptureOptions;
import dev.mirrordj.sniffer.FlowKey;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The mirror verticle alone, with a real capture in a throw-away pod namespace (root; CI=true makes
 * it mandatory): subscribe starts the sniffer on the port (a request to the pod is seen by the
 * client), client gone stops capturing it.
 */
@ExtendWith(VertxExtension.class)
class MirrorVerticleTest {
  private static final int APP_PORT = 8080;

  /** Records the destination ports of the connections it is told about. */
  private static final class PortRecorder implements MirrorClient {
    final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    @Override
    public String id() {
      return "recorder";
    }

    @Override
    public void connectionStarted(long connectionId, FlowKey flow, boolean midStream) {
      ports.add(flow.destinationPort());
    }

    @Override
    public void data(long connectionId, byte[] bytes) {}

    @Override
    public void lost(long connectionId, long missingBytes) {}

    @Override
    public void connectionEnded(long connectionId) {}
  }

  @Test
  void subscribeStartsTheSnifferOnThePortAndClientGoneStopsIt(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    PodNetwork.assumeRoot();
    try (PodNetwork net = new PodNetwork()) {
      net.spawnPod("python3", net.resource("app_server.py"), "pod", "0.0.0.0", "" + APP_PORT);
      net.awaitPodPort(APP_PORT);
      IncomingClients clients = new IncomingClients();
      PortRecorder recorder = new PortRecorder();
      clients.add("session-1", null, recorder);
      MirrorVerticle mirror =
          new MirrorVerticle(
              clients,
              () -> new MirrorHub(CaptureOptions.defaults(net.podInterface(), net.podNs())));
      vertx.deployVerticle(mirror).await();
      BlockingQueue<AgentMessages.CaptureChanged> captures = new LinkedBlockingQueue<>();
      vertx
          .eventBus()
          .<AgentMessages.CaptureChanged>consumer(
              AgentAddresses.MIRROR_CAPTURE, m -> captures.add(m.body()))
          .completion()
          .await();

      vertx
          .eventBus()
          .request(
              AgentAddresses.MIRROR_SUBSCRIBE,
              new AgentMessages.Subscribe("session-1", APP_PORT, "", "", false, false))
          .await();
      assertEquals(
          new AgentMessages.CaptureChanged(net.podInterface(), List.of(APP_PORT)),
          captures.poll(10, TimeUnit.SECONDS));
      // the capture filter is applied asynchronously: send requests until one is mirrored
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (!recorder.ports.contains(APP_PORT)) {
        assertTrue(System.nanoTime() < deadline, "no connection to the port was mirrored");
        net.clientHttp(APP_PORT, 1, 1, "/probe");
        Thread.sleep(100);
      }

      vertx
          .eventBus()
          .publish(AgentAddresses.CLIENT_GONE, new AgentMessages.ClientGone("session-1", "test"));
      assertEquals(
          new AgentMessages.CaptureChanged(net.podInterface(), List.of()),
          captures.poll(10, TimeUnit.SECONDS),
          "the departed client's port is no longer captured");
      vertx.undeploy(vertx.deploymentIDs().iterator().next()).await();
      ctx.completeNow();
    }
  }
}
