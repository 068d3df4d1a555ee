package dev.mirrordj.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.harness.AgentProcess;
import dev.mirrordj.harness.HarnessException;
import dev.mirrordj.harness.Poll;
import dev.mirrordj.protocol.client.AgentClient;
import dev.mirrordj.protocol.client.AgentClientOptions;
import dev.mirrordj.protocol.incoming.Incoming;
import dev.mirrordj.protocol.incoming.IncomingClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash faults of the real agent process (guard + worker) while it steals a pod's port (issue 5
 * "Cleanup and safety"; reference faults F1 and F2): SIGKILL of the worker leaves the guard to
 * remove our redirect rules, and SIGKILL of both leaves rules that the next agent names and refuses
 * to start over, unless started with {@code --clean-leftover-rules}.
 */
class AgentCrashE2ETest {
  static final String POD_BODY = "hello from the target pod\n";
  static final String STOLEN_BODY = "stolen by the local program\n";
  static final int PORT = 80;

  PodAgent env;
  Vertx vertx;

  @BeforeEach
  void start() {
    env = PodAgent.start("--idle-ttl", "600", "--communication-timeout", "120");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    try {
      if (vertx != null) {
        Await.result(vertx.close());
      }
    } finally {
      if (env != null) {
        env.close(); // the pod's netns, and any rule left in it, goes away with the cluster
      }
    }
  }

  @Test
  void sigkilledWorkerHasItsRulesRemovedByTheGuardAndThePodAnswersAgain() {
    stealWholePort();
    ProcessHandle worker = worker();
    worker.destroyForcibly(); // SIGKILL: the worker cannot clean up after itself
    Await.result(Future.fromCompletionStage(worker.onExit()), Duration.ofSeconds(10));
    // reference F1 and issue 5: no rule of ours remains within a second of the kill
    Poll.tryUntil(Duration.ofSeconds(1), () -> PodFirewall.ourRules(env.pod).isEmpty());
    assertEquals(
        List.of(), PodFirewall.ourRules(env.pod), "rules left 1 s after the worker's SIGKILL");
    assertEquals(
        POD_BODY,
        PodFirewall.httpFromCluster(env.cluster, env.pod, PORT),
        "the pod's own app answers again");
    env.agent.awaitExit(Duration.ofSeconds(30)); // and the guard does not outlive its worker
  }

  @Test
  void sigkilledGuardAndWorkerLeaveRulesTheNextAgentNamesAndCleansOnlyWithTheFlag() {
    stealWholePort();
    ProcessHandle worker = worker();
    long guard = env.agent.process().pid();
    // container death: freeze both first so neither can react to the other's death, then SIGKILL
    // both
    PodFirewall.signal("STOP", guard, worker.pid());
    PodFirewall.signal("KILL", worker.pid(), guard);
    Await.result(Future.fromCompletionStage(worker.onExit()), Duration.ofSeconds(10));
    env.agent.awaitExit(Duration.ofSeconds(10));
    List<String> left = PodFirewall.ourRules(env.pod);
    assertTrue(
        !left.isEmpty(), "a crashed agent leaves its rules behind, which this test is about");
    assertTrue(
        !PodFirewall.httpFromCluster(env.cluster, env.pod, PORT).equals(POD_BODY),
        "the leftover redirect keeps the pod's app unreachable");

    HarnessException refused =
        assertThrows(
            HarnessException.class,
            () ->
                AgentProcess.start(
                        FatJar.require(),
                        PodAgent.READY,
                        "--target-pid",
                        Long.toString(env.pod.pid()))
                    .close());
    assertTrue(
        refused.getMessage().contains("MIRRORDJ_PREROUTING"),
        "the refusal names our chains:\n" + refused.getMessage());
    assertTrue(
        refused.getMessage().contains("--clean-leftover-rules"),
        "and says how to clean:\n" + refused.getMessage());
    assertTrue(!PodFirewall.ourRules(env.pod).isEmpty(), "refusing does not touch the rules");

    try (AgentProcess cleaner =
        AgentProcess.start(
            FatJar.require(),
            PodAgent.READY,
            "--target-pid",
            Long.toString(env.pod.pid()),
            "--clean-leftover-rules")) {
      assertEquals(List.of(), PodFirewall.ourRules(env.pod), "cleaned before the ready line");
      assertEquals(POD_BODY, PodFirewall.httpFromCluster(env.cluster, env.pod, PORT));
    }
  }

  /** Steals the pod's whole port 80 for a local HTTP server and proves the steal is live. */
  private void stealWholePort() {
    assertEquals(
        POD_BODY,
        PodFirewall.httpFromCluster(env.cluster, env.pod, PORT),
        "before: the pod's app answers");
    HttpServer local =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(req -> req.response().end(STOLEN_BODY))
                .listen(0, "127.0.0.1"));
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> subscribed = Promise.promise();
    ctx.runOnContext(
        v ->
            AgentClient.connect(
                    vertx,
                    "127.0.0.1",
                    env.agent.port(),
                    new AgentClientOptions()
                        .clientName("crash-test")
                        .connectTimeout(Duration.ofSeconds(10)))
                .compose(
                    client ->
                        new IncomingClient(vertx, client)
                            .subscribe(
                                new Incoming.Subscribe(
                                    PORT, Incoming.MODE_STEAL, "", "", false, false),
                                SocketAddress.inetSocketAddress(local.actualPort(), "127.0.0.1")))
                .onComplete(subscribed));
    Await.result(subscribed.future());
    assertTrue(!PodFirewall.ourRules(env.pod).isEmpty(), "a steal installs our redirect rules");
    assertEquals(
        STOLEN_BODY, PodFirewall.httpFromCluster(env.cluster, env.pod, PORT), "the steal is live");
  }

  /** The guard's worker: the child started with the hidden --worker flag. */
  private ProcessHandle worker() {
    return env.agent
        .process()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("--worker"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no worker under the agent's guard"));
  }
}
