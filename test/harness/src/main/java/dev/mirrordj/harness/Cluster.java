package dev.mirrordj.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A "cluster" without Kubernetes: one network namespace holding a bridge, a TCP/UDP echo service, a
 * TCP discard service, an HTTP service and dnsmasq; pods ({@link #addPod}) hang off the bridge.
 * Nothing here is reachable from the host (the host gets an {@code unreachable} route for {@link
 * #TEST_RANGE}) and pods have no default route, so test traffic never leaves the machine.
 *
 * <p>Use with try-with-resources. {@link #close} (also run by a JVM shutdown hook and on a failed
 * start) kills every process and deletes every namespace; {@link #start} first sweeps leftovers of
 * crashed earlier runs (resources whose owner PID is dead, see {@link OwnerNames}).
 */
public final class Cluster implements AutoCloseable {
  /** Host route covering every harness subnet. */
  public static final String TEST_RANGE = "10.200.0.0/16";

  /**
   * Host route covering every harness IPv6 subnet (fd00:200:X::/64; the host's own fd00::/64 is
   * outside it).
   */
  public static final String TEST_RANGE6 = "fd00:200::/32";

  public static final String BRIDGE = "br0";
  public static final int ECHO_PORT = 7;
  public static final int DISCARD_PORT = 9;
  public static final int HTTP_PORT = 80;
  public static final String HTTP_BODY = "hello from the cluster http service\n";

  /** Search domains of every pod's resolv.conf (with options ndots:5), as in a Kubernetes pod. */
  public static final List<String> SEARCH_DOMAINS =
      List.of("default.svc.cluster.local", "svc.cluster.local", "cluster.local");

  public static final String ECHO_NAME = "echo.default.svc.cluster.local";
  public static final String HTTP_NAME = "http.default.svc.cluster.local";

  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  private static final Set<Cluster> OPEN = ConcurrentHashMap.newKeySet();
  private static volatile boolean swept;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(Cluster::close), "mdj-harness-cleanup"));
  }

  private final String runId;
  private final String subnetPrefix;
  private final String subnet6Prefix;
  private final Path stage;
  private final NamedNetns netns;
  private final ClusterDns dns;
  private final Map<String, Pod> pods = Collections.synchronizedMap(new LinkedHashMap<>());
  private NetnsExecutor executor;
  private boolean closed;

  private Cluster(int subnetOctet) throws IOException {
    this.runId = OwnerNames.newRunId();
    if (subnetOctet < 1 || subnetOctet > 254) {
      throw new IllegalArgumentException("subnet octet must be 1..254, got " + subnetOctet);
    }
    this.subnetPrefix = "10.200." + subnetOctet + ".";
    this.subnet6Prefix = "fd00:200:" + subnetOctet + "::";
    this.stage = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), runId));
    this.netns = NamedNetns.create(runId + "-cl");
    this.dns = new ClusterDns(netns, dnsIp(), dnsIp6(), stage);
  }

  /** Starts a cluster on subnet 10.200.1.0/24. */
  public static Cluster start() {
    return start(1);
  }

  /**
   * Starts a cluster on subnet 10.200.{@code subnetOctet}.0/24 (each cluster has its own namespace,
   * so runs may share subnets).
   */
  public static Cluster start(int subnetOctet) {
    sweepOnce();
    Cluster c;
    try {
      c = new Cluster(subnetOctet);
    } catch (IOException e) {
      throw new HarnessException("cannot create cluster staging directory: " + e.getMessage(), e);
    }
    OPEN.add(c);
    try {
      c.boot();
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static void sweepOnce() {
    if (!swept) {
      synchronized (Cluster.class) {
        if (!swept) {
          Sweeper.sweepOrphans();
          swept = true;
        }
      }
    }
  }

  private void boot() {
    HostRoutes.acquire(TEST_RANGE, runId);
    HostRoutes.acquire(TEST_RANGE6, runId);
    netns.ip("link", "add", BRIDGE, "type", "bridge");
    netns.ip("addr", "add", bridgeIp() + "/24", "dev", BRIDGE);
    netns.ip("addr", "add", bridgeIp6() + "/64", "dev", BRIDGE, "nodad");
    for (String ip : List.of(dnsIp(), echoIp(), httpIp())) {
      netns.ip("addr", "add", ip + "/32", "dev", BRIDGE);
    }
    // nodad: usable at once, no duplicate-address-detection delay
    for (String ip : List.of(dnsIp6(), echoIp6(), httpIp6())) {
      netns.ip("addr", "add", ip + "/128", "dev", BRIDGE, "nodad");
    }
    netns.ip("link", "set", BRIDGE, "up");
    ClusterServices.stage(stage, "services.py", "pod-launch.sh");
    ClusterServices.start(this);
    dns.addRecord(echoIp(), ECHO_NAME, "echo.cluster.local");
    dns.addRecord(httpIp(), HTTP_NAME, "http.cluster.local");
    dns.addRecord(dnsIp(), "dns.default.svc.cluster.local");
    dns.start();
    LOG.info(
        "[{}] cluster up: netns {}, services echo {} http {} dns {}",
        runId,
        netns.name(),
        echoIp(),
        httpIp(),
        dnsIp());
  }

  /**
   * Starts a pod from {@code spec} and registers {@code <name>.default.svc.cluster.local} for it in
   * the cluster DNS.
   */
  public Pod addPod(PodSpec spec) {
    int index;
    synchronized (pods) {
      if (closed) {
        throw new HarnessException("cluster " + runId + " is closed");
      }
      if (pods.containsKey(spec.name())) {
        throw new IllegalArgumentException("pod " + spec.name() + " already exists in " + runId);
      }
      index = pods.size();
      pods.put(spec.name(), null);
    }
    Pod pod;
    try {
      pod =
          new PodLauncher(this)
              .launch(spec, index, subnetPrefix + (100 + index), subnet6Prefix + (100 + index));
    } catch (RuntimeException e) {
      pods.remove(spec.name());
      throw e;
    }
    pods.put(spec.name(), pod);
    dns.addRecord(pod.ip(), pod.dnsName());
    dns.reload();
    LOG.info(
        "[{}] pod {} up: pid {} ip {} netns {}",
        runId,
        pod.name(),
        pod.pid(),
        pod.ip(),
        pod.netnsName());
    return pod;
  }

  /** The pod called {@code name}. */
  public Pod pod(String name) {
    Pod p = pods.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "no pod " + name + " in " + runId + "; pods: " + pods.keySet());
    }
    return p;
  }

  /** Runs a command in the cluster namespace (a client next to the pods) to completion. */
  public ExecResult exec(String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns.name()));
    all.addAll(List.of(argv));
    return Commands.run(all, null, Commands.DEFAULT_TIMEOUT);
  }

  /**
   * Starts a command in the cluster namespace in the background; returns once it is inside the
   * namespace. It is killed when the cluster closes.
   */
  public Process start(List<String> argv, File output) throws IOException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns.name()));
    all.addAll(argv);
    Process p =
        new ProcessBuilder(all)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output))
            .start();
    netns.awaitJoined(p);
    return p;
  }

  /**
   * Runs Java code on a thread inside the cluster namespace, e.g. to open a socket to a pod's port.
   */
  public synchronized <T> T inNetns(Callable<T> work) {
    if (executor == null) {
      executor = new NetnsExecutor(netns.path());
    }
    return executor.call(work);
  }

  public String runId() {
    return runId;
  }

  public NamedNetns netns() {
    return netns;
  }

  public String netnsName() {
    return netns.name();
  }

  public Path netnsPath() {
    return netns.path();
  }

  /**
   * Host directory with this run's scripts and logs (services.log, dnsmasq.log, pods/NAME/pod.log).
   */
  public Path stage() {
    return stage;
  }

  public String subnet() {
    return subnetPrefix + "0/24";
  }

  public String bridgeIp() {
    return subnetPrefix + "1";
  }

  public String dnsIp() {
    return subnetPrefix + "2";
  }

  public String echoIp() {
    return subnetPrefix + "10";
  }

  public String httpIp() {
    return subnetPrefix + "11";
  }

  /*
   * IPv6: every service and pod also has an address in fd00:200:X::/64, reachable by literal. The cluster
   * DNS publishes no AAAA records, so names resolve to IPv4 only and tools behave the same as before.
   */

  public String bridgeIp6() {
    return subnet6Prefix + "1";
  }

  public String dnsIp6() {
    return subnet6Prefix + "2";
  }

  public String echoIp6() {
    return subnet6Prefix + "10";
  }

  public String httpIp6() {
    return subnet6Prefix + "11";
  }

  /**
   * Kills every pod and service, deletes the namespaces, the staging directory and (if unused) the
   * host route. Idempotent.
   */
  @Override
  public void close() {
    synchronized (pods) {
      if (closed) {
        return;
      }
      closed = true;
    }
    List<RuntimeException> failures = new ArrayList<>();
    List<Pod> all = new ArrayList<>(pods.values());
    all.removeIf(p -> p == null);
    for (Pod p : all) {
      attempt(failures, p::destroy);
    }
    if (executor != null) {
      executor.close();
    }
    attempt(failures, netns::destroy);
    attempt(failures, () -> Sweeper.deleteTree(stage));
    attempt(failures, () -> HostRoutes.release(TEST_RANGE, runId));
    attempt(failures, () -> HostRoutes.release(TEST_RANGE6, runId));
    OPEN.remove(this);
    LOG.info("[{}] cluster closed", runId);
    if (!failures.isEmpty()) {
      HarnessException e =
          new HarnessException(
              "cleanup of " + runId + " was incomplete: " + failures.get(0).getMessage());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  private static void attempt(List<RuntimeException> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }
}
