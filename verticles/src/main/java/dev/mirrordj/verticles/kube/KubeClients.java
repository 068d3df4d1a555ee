package dev.mirrordj.verticles.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the fabric8 client on the application's own Vert.x (through {@link
 * Vertx5HttpClientFactory}), so the CLI runs one event-loop pool. fabric8's DSL is blocking: call
 * it from a worker ({@code vertx.executeBlocking}), never from an event loop of this Vert.x.
 */
public final class KubeClients {
  static final int RETRY_BACKOFF_MS = 500;
  static final int RETRY_LIMIT = 2;

  private KubeClients() {}

  /**
   * A client configured from {@code settings}.
   *
   * @throws KubeSetupException when the named kubeconfig does not exist or cannot be read
   */
  public static KubernetesClient create(Vertx vertx, KubeSettings settings) {
    return create(vertx, config(settings));
  }

  /** A client for an explicit configuration (tests point it at the mock API server). */
  public static KubernetesClient create(Vertx vertx, Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
        .build();
  }

  /**
   * The client's namespace (the kube context's), or {@code default} when the context names none.
   */
  public static String namespaceOf(KubernetesClient client) {
    String ns = client.getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  /** The fabric8 configuration for the settings, without connecting anywhere. */
  public static Config config(KubeSettings settings) {
    return config(settings, System.getenv());
  }

  /** As {@link #config(KubeSettings)}, reading {@code KUBECONFIG} from {@code environment}. */
  static Config config(KubeSettings settings, Map<String, String> environment) {
    String context = settings.kubeContext().orElse(null);
    Config base;
    if (settings.kubeconfig().isPresent()) {
      Path file = expandHome(settings.kubeconfig().get());
      if (!Files.isReadable(file)) {
        throw new KubeSetupException(
            "kubeconfig '"
                + settings.kubeconfig().get()
                + "' ("
                + file
                + ") does not exist or is not readable; set `kubeconfig` to a readable file or remove it "
                + "to use KUBECONFIG / ~/.kube/config / the in-cluster account");
      }
      try {
        base = Config.fromKubeconfig(context, file.toFile());
      } catch (RuntimeException e) {
        throw new KubeSetupException(
            "cannot use kubeconfig "
                + file
                + (context == null ? "" : " with context '" + context + "'")
                + ": "
                + e.getMessage(),
            e);
      }
      requireContext(base, context, file.toString());
    } else {
      if (System.getProperty("kubeconfig") == null) {
        // fabric8 prefers the system property; only the variable is checked here
        requireKubeconfigVariableFiles(environment.get("KUBECONFIG"));
      }
      base = Config.autoConfigure(context);
      requireContext(base, context, String.valueOf(Config.getKubeconfigFilenames()));
    }
    // mirrord's startup_retry defaults (500 ms backoff, 2 retries) instead of fabric8's 10 retries,
    // so an unreachable API server is reported in about a second, not twenty.
    ConfigBuilder builder =
        new ConfigBuilder(base)
            .withRequestRetryBackoffInterval(RETRY_BACKOFF_MS)
            .withRequestRetryBackoffLimit(RETRY_LIMIT);
    if (settings.acceptInvalidCertificates()) {
      builder.withTrustCerts(true).withDisableHostnameVerification(true);
    }
    Config config = builder.build();
    if (!settings.useProxy()) {
      // Set after build(): the builder re-reads HTTP(S)_PROXY from the environment when building.
      config.setHttpProxy(null);
      config.setHttpsProxy(null);
    }
    return config;
  }

  /**
   * fabric8 quietly falls back to the in-cluster account when KUBECONFIG names files that do not
   * exist, which then fails far away (an unresolvable service host); we name the files instead.
   * Like kubectl, a list where at least one file exists is fine.
   */
  private static void requireKubeconfigVariableFiles(String variable) {
    if (variable == null || variable.isBlank()) {
      return;
    }
    List<String> listed =
        Arrays.stream(variable.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    if (listed.isEmpty() || listed.stream().anyMatch(f -> Files.isReadable(expandHome(f)))) {
      return;
    }
    throw new KubeSetupException(
        "KUBECONFIG names "
            + (listed.size() == 1 ? "'" + listed.get(0) + "', which does" : listed + ", which do")
            + " not exist or cannot be read; point KUBECONFIG at your kubeconfig file, unset it "
            + "to use ~/.kube/config, or set `kubeconfig` in the configuration");
  }

  /** fabric8 silently keeps the current context when the asked one is missing; we refuse. */
  private static void requireContext(Config config, String context, String where) {
    if (context == null) {
      return;
    }
    boolean known =
        config.getContexts() != null
            && config.getContexts().stream().anyMatch(c -> context.equals(c.getName()));
    if (!known) {
      throw new KubeSetupException(
          "kube_context '"
              + context
              + "' was not found in "
              + where
              + "; use a context listed by `kubectl config get-contexts`");
    }
  }

  static Path expandHome(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + path.substring(1));
    }
    return new File(path).toPath();
  }
}
