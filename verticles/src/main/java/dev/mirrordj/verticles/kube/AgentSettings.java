package dev.mirrordj.verticles.kube;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every {@code agent.*} option that shapes the agent pod, with mirrord's defaults. This is the kube
 * package's own view of the configuration (built from {@code AgentConfig} by {@link
 * #withDefaults()} + the {@code with…} copies or an adapter), so the pod builders and their tests
 * do not depend on how the config model is loaded.
 *
 * @param tolerations {@code null} = the default {@code [{"operator":"Exists"}]}; empty = none
 * @param resources {@code null} = the default requests 1m/1Mi and limits 100m/100Mi; otherwise
 *     {@code {"requests":{…},"limits":{…}}} with quantity strings
 * @param disabledCapabilities capabilities removed from NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_ADMIN
 * @param nftables empty = let the agent detect which iptables backend the target uses
 * @param idleTtl seconds the agent stays up after its last client left (0: it ends at once, as a
 *     session's own agent does; the operator keeps a shared agent up between sessions)
 */
public record AgentSettings(
    String image,
    String imagePullPolicy,
    List<String> imagePullSecrets,
    Optional<String> namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    int ttl,
    boolean ephemeral,
    boolean privileged,
    List<String> disabledCapabilities,
    List<Map<String, Object>> tolerations,
    Map<String, Map<String, String>> resources,
    Map<String, String> nodeSelector,
    Optional<String> serviceAccount,
    Optional<String> priorityClass,
    boolean checkOutOfPods,
    Optional<Boolean> nftables,
    boolean flushConnections,
    Optional<String> networkInterface,
    OptionalInt dnsTimeout,
    OptionalInt dnsAttempts,
    String logLevel,
    boolean jsonLog,
    int communicationTimeout,
    int startupTimeout,
    boolean disableMeshSidecarInjection,
    int idleTtl) {

  /** Our agent image; see conf/agent-image/README.md for how it is built and pushed. */
  public static final String DEFAULT_IMAGE = "ghcr.io/mirrordj/agent:0.1.0";

  public AgentSettings {
    imagePullSecrets = List.copyOf(imagePullSecrets);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    disabledCapabilities = List.copyOf(disabledCapabilities);
    nodeSelector = Map.copyOf(nodeSelector);
  }

  /** mirrord's default for every field. */
  public static AgentSettings withDefaults() {
    return new AgentSettings(
        DEFAULT_IMAGE,
        "IfNotPresent",
        List.of(),
        Optional.empty(),
        Map.of(),
        Map.of(),
        1,
        false,
        false,
        List.of(),
        null,
        null,
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        true,
        Optional.empty(),
        true,
        Optional.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        "info",
        false,
        30,
        60,
        true,
        0);
  }

  /** {@code agent.image} in its long form: {@code {"registry": …, "tag": …}}. */
  public static String image(String registry, String tag) {
    return registry + ":" + tag;
  }

  /** A builder starting from this value ({@code withDefaults().toBuilder()…build()}). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Field-by-field copy-and-change, so callers set only what differs from the defaults. */
  public static final class Builder {
    private String image;
    private String imagePullPolicy;
    private List<String> imagePullSecrets;
    private Optional<String> namespace;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private int ttl;
    private boolean ephemeral;
    private boolean privileged;
    private List<String> disabledCapabilities;
    private List<Map<String, Object>> tolerations;
    private Map<String, Map<String, String>> resources;
    private Map<String, String> nodeSelector;
    private Optional<String> serviceAccount;
    private Optional<String> priorityClass;
    private boolean checkOutOfPods;
    private Optional<Boolean> nftables;
    private boolean flushConnections;
    private Optional<String> networkInterface;
    private OptionalInt dnsTimeout;
    private OptionalInt dnsAttempts;
    private String logLevel;
    private boolean jsonLog;
    private int communicationTimeout;
    private int startupTimeout;
    private boolean disableMeshSidecarInjection;
    private int idleTtl;

    private Builder(AgentSettings s) {
      image = s.image;
      imagePullPolicy = s.imagePullPolicy;
      imagePullSecrets = s.imagePullSecrets;
      namespace = s.namespace;
      labels = s.labels;
      annotations = s.annotations;
      ttl = s.ttl;
      ephemeral = s.ephemeral;
      privileged = s.privileged;
      disabledCapabilities = s.disabledCapabilities;
      tolerations = s.tolerations;
      resources = s.resources;
      nodeSelector = s.nodeSelector;
      serviceAccount = s.serviceAccount;
      priorityClass = s.priorityClass;
      checkOutOfPods = s.checkOutOfPods;
      nftables = s.nftables;
      flushConnections = s.flushConnections;
      networkInterface = s.networkInterface;
      dnsTimeout = s.dnsTimeout;
      dnsAttempts = s.dnsAttempts;
      logLevel = s.logLevel;
      jsonLog = s.jsonLog;
      communicationTimeout = s.communicationTimeout;
      startupTimeout = s.startupTimeout;
      disableMeshSidecarInjection = s.disableMeshSidecarInjection;
      idleTtl = s.idleTtl;
    }

    public Builder image(String value) {
      image = value;
      return this;
    }

    public Builder imagePullPolicy(String value) {
      imagePullPolicy = value;
      return this;
    }

    public Builder imagePullSecrets(List<String> value) {
      imagePullSecrets = value;
      return this;
    }

    public Builder namespace(Optional<String> value) {
      namespace = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    public Builder annotations(Map<String, String> value) {
      annotations = value;
      return this;
    }

    public Builder ttl(int value) {
      ttl = value;
      return this;
    }

    public Builder ephemeral(boolean value) {
      ephemeral = value;
      return this;
    }

    public Builder privileged(boolean value) {
      privileged = value;
      return this;
    }

    public Builder disabledCapabilities(List<String> value) {
      disabledCapabilities = value;
      return this;
    }

    public Builder tolerations(List<Map<String, Object>> value) {
      tolerations = value;
      return this;
    }

    public Builder resources(Map<String, Map<String, String>> value) {
      resources = value;
      return this;
    }

    public Builder nodeSelector(Map<String, String> value) {
      nodeSelector = value;
      return this;
    }

    public Builder serviceAccount(Optional<String> value) {
      serviceAccount = value;
      return this;
    }

    public Builder priorityClass(Optional<String> value) {
      priorityClass = value;
      return this;
    }

    public Builder checkOutOfPods(boolean value) {
      checkOutOfPods = value;
      return this;
    }

    public Builder nftables(Optional<Boolean> value) {
      nftables = value;
      return this;
    }

    public Builder flushConnections(boolean value) {
      flushConnections = value;
      return this;
    }

    public Builder networkInterface(Optional<String> value) {
      networkInterface = value;
      return this;
    }

    public Builder dnsTimeout(OptionalInt value) {
      dnsTimeout = value;
      return this;
    }

    public Builder dnsAttempts(OptionalInt value) {
      dnsAttempts = value;
      return this;
    }

    public Builder logLevel(String value) {
      logLevel = value;
      return this;
    }

    public Builder jsonLog(boolean value) {
      jsonLog = value;
      return this;
    }

    public Builder communicationTimeout(int value) {
      communicationTimeout = value;
      return this;
    }

    public Builder startupTimeout(int value) {
      startupTimeout = value;
      return this;
    }

    public Builder disableMeshSidecarInjection(boolean value) {
      disableMeshSidecarInjection = value;
      return this;
    }

    public Builder idleTtl(int value) {
      idleTtl = value;
      return this;
    }

    public AgentSettings build() {
      return new AgentSettings(
          image,
          imagePullPolicy,
          imagePullSecrets,
          namespace,
          labels,
          annotations,
          ttl,
          ephemeral,
          privileged,
          disabledCapabilities,
          tolerations,
          resources,
          nodeSelector,
          serviceAccount,
          priorityClass,
          checkOutOfPods,
          nftables,
          flushConnections,
          networkInterface,
          dnsTimeout,
          dnsAttempts,
          logLevel,
          jsonLog,
          communicationTimeout,
          startupTimeout,
          disableMeshSidecarInjection,
          idleTtl);
    }
  }
}
