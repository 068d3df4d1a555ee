package dev.mirrordj.cli;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.verticles.kube.KubeClients;
import dev.mirrordj.verticles.kube.KubeConfigAdapter;
import dev.mirrordj.verticles.kube.KubeSettings;
import dev.mirrordj.verticles.kube.TargetLister;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mirrord ls [-n NS] [-o json] [-f CONFIG]}: lists the targets of a namespace. The JSON form
 * is one array of target paths on stdout, for scripts and IDEs. The cluster is chosen like {@code
 * run} does: {@code kubeconfig}, {@code kube_context}, {@code accept_invalid_certificates} and
 * {@code use_proxy} from the configuration file, if one is given.
 */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "List the targets (deployments, jobs, pods) of a namespace.")
public final class LsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      description =
          "Namespace to list (default: target.namespace "
              + "from the config, else the kube context's namespace).")
  String namespace;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description =
          "Output format: text (one path per line) or json (an array). Default: ${DEFAULT-VALUE}.")
  String output;

  @Option(
      names = {"-f", "--config-file"},
      description = "mirrord configuration file (for the cluster settings).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException(
          "unknown output format '" + output + "'; accepted: text, json");
    }
    KubeSettings settings = KubeSettings.defaults();
    String ns = namespace;
    if (configFile != null) {
      MirrordConfig config =
          ConfigResolver.resolve(ConfigSource.file(configFile), System.getenv(), Map.of(), true)
              .orThrow();
      settings = KubeConfigAdapter.kube(config);
      if (ns == null) {
        ns = config.target().namespace().orElse(null);
      }
    }
    Vertx vertx = Vertx.vertx();
    try (KubernetesClient client = KubeClients.create(vertx, settings)) {
      List<String> targets =
          TargetLister.list(client, ns != null ? ns : KubeClients.namespaceOf(client));
      if (output.equals("json")) {
        spec.commandLine().getOut().println(new JsonArray(targets).encode());
      } else {
        targets.forEach(spec.commandLine().getOut()::println);
      }
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } finally {
      vertx.close();
    }
  }
}
