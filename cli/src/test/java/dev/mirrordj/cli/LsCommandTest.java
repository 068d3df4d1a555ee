package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.vertx.core.json.JsonArray;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code mirrord ls} against the fabric8 mock API, reached through a kubeconfig named in the
 * config.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LsCommandTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  @TempDir Path dir;

  private static PodBuilder pod(String ns, String name, String phase, String... containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withContainers(
            java.util.Arrays.stream(containers)
                .map(c -> new ContainerBuilder().withName(c).withImage("img").build())
                .toList())
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus();
  }

  private Path configFile(String defaultNamespace) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        current-context: mock
        clusters: [{name: mock, cluster: {server: "%s"}}]
        contexts: [{name: mock, context: {cluster: mock, user: u, namespace: %s}}]
        users: [{name: u, user: {token: t}}]
        """
            .formatted(server.url("/"), defaultNamespace));
    Path config = dir.resolve("mirrord.json");
    Files.writeString(config, "{\"kubeconfig\": \"" + kubeconfig + "\"}");
    return config;
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void jsonListsDeploymentsJobsAndRunningPodsPerContainer() throws Exception {
    String ns = "ls-" + System.nanoTime();
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(new DeploymentBuilder().withNewMetadata().withName("web").endMetadata().build())
        .create();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(new JobBuilder().withNewMetadata().withName("migrate").endMetadata().build())
        .create();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("mirrord-agent-abcdefghij")
                .addToLabels("app", "mirrord")
                .endMetadata()
                .build())
        .create();
    client
        .pods()
        .inNamespace(ns)
        .resource(pod(ns, "web-1", "Running", "app", "sidecar").build())
        .create();
    client.pods().inNamespace(ns).resource(pod(ns, "solo", "Running", "main").build()).create();
    client.pods().inNamespace(ns).resource(pod(ns, "done", "Succeeded", "main").build()).create();

    String[] r = run("ls", "-f", configFile(ns).toString(), "-o", "json");
    assertEquals("0", r[0], r[2]);
    assertEquals(
        List.of(
            "deployment/web",
            "job/migrate",
            "pod/solo",
            "pod/web-1/container/app",
            "pod/web-1/container/sidecar"),
        new JsonArray(r[1].trim()).getList());

    String[] text = run("ls", "-f", configFile("elsewhere").toString(), "-n", ns);
    assertEquals("0", text[0], text[2]);
    assertEquals(
        "deployment/web\njob/migrate\npod/solo\npod/web-1/container/app\npod/web-1/container/sidecar",
        text[1].trim());
  }

  @Test
  void forbiddenListingNamesTheServerAndTheApiReason() throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/locked/deployments")
        .andReturn(
            403,
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("deployments.apps is forbidden: User \"dev\" cannot list resource")
                .build())
        .once();
    String[] r = run("ls", "-f", configFile("locked").toString());
    assertEquals("1", r[0]);
    assertTrue(
        r[2].contains("listing targets in namespace locked failed at " + server.url("/"))
            && r[2].contains("HTTP 403: deployments.apps is forbidden")
            && r[2].contains("RBAC"),
        r[2]);
  }

  @Test
  void emptyNamespaceIsAnEmptyArrayAndBadFormatIsAnError() throws Exception {
    String[] r = run("ls", "-f", configFile("empty-ns").toString(), "-o", "json");
    assertEquals("0", r[0], r[2]);
    assertEquals("[]", r[1].trim());
    String[] bad = run("ls", "-f", configFile("empty-ns").toString(), "-o", "yaml");
    assertEquals("1", bad[0]);
    assertTrue(bad[2].contains("unknown output format 'yaml'; accepted: text, json"), bad[2]);
  }
}
