package dev.mirrordj.verticles.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The slice of the resolved configuration the proxy acts on (feature.fs, feature.network.outgoing,
 * dns, hostname, skip_processes, skip_build_tools, experimental, internal_proxy), plus the local
 * facts the default path lists depend on.
 */
public record ProxySettings(
    FsMode fsMode,
    List<String> readWrite,
    List<String> readOnly,
    List<String> local,
    List<String> notFound,
    boolean readlink,
    boolean tcpOutgoing,
    boolean udpOutgoing,
    boolean ignoreLocalhost,
    List<String> filterLocal,
    List<String> filterRemote,
    List<String> unixStreams,
    boolean dns,
    boolean hostname,
    List<String> skipProcesses,
    boolean skipBuildTools,
    List<String> skipExtraBuildTools,
    boolean tcpPing4Mock,
    Duration startIdleTimeout,
    Duration idleTimeout,
    LocalFacts facts,
    Map<String, String> fsMapping,
    long readonlyFileBuffer) {

  /** feature.fs.readonly_file_buffer when nothing is configured. */
  public static final long DEFAULT_READONLY_FILE_BUFFER = 128_000;

  /** Settings without path mapping and with the default read buffer. */
  public ProxySettings(
      FsMode fsMode,
      List<String> readWrite,
      List<String> readOnly,
      List<String> local,
      List<String> notFound,
      boolean readlink,
      boolean tcpOutgoing,
      boolean udpOutgoing,
      boolean ignoreLocalhost,
      List<String> filterLocal,
      List<String> filterRemote,
      List<String> unixStreams,
      boolean dns,
      boolean hostname,
      List<String> skipProcesses,
      boolean skipBuildTools,
      List<String> skipExtraBuildTools,
      boolean tcpPing4Mock,
      Duration startIdleTimeout,
      Duration idleTimeout,
      LocalFacts facts) {
    this(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        Map.of(),
        DEFAULT_READONLY_FILE_BUFFER);
  }

  /** The same settings with feature.fs.mapping and feature.fs.readonly_file_buffer. */
  public ProxySettings withFsMapping(Map<String, String> mapping, long readBuffer) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        mapping,
        readBuffer);
  }

  /** feature.fs.mode values. */
  public enum FsMode {
    READ,
    WRITE,
    LOCAL,
    LOCALWITHOVERRIDES;

    public static FsMode parse(String s) {
      return switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "read" -> READ;
        case "write" -> WRITE;
        case "local" -> LOCAL;
        case "localwithoverrides" -> LOCALWITHOVERRIDES;
        default ->
            throw new IllegalArgumentException(
                "feature.fs.mode: '"
                    + s
                    + "' is not accepted; use read, write, local or localwithoverrides");
      };
    }
  }

  /**
   * Local paths the default lists are built from (the entries that depend on this machine: home,
   * cwd, temp).
   */
  public record LocalFacts(Path home, Path cwd, Path tempDir, Path layerTmp) {
    public static LocalFacts current(Path layerTmp) {
      return new LocalFacts(
          Path.of(System.getProperty("user.home")),
          Path.of("").toAbsolutePath(),
          Path.of(System.getProperty("java.io.tmpdir")),
          layerTmp);
    }
  }

  /** The proxy's view of a resolved configuration. */
  public static ProxySettings from(dev.mirrordj.config.MirrordConfig c, LocalFacts facts) {
    var fs = c.feature().fs();
    var out = c.feature().network().outgoing();
    var filter = out.filter();
    FsMode mode =
        switch (fs.mode()) {
          case READ -> FsMode.READ;
          case WRITE -> FsMode.WRITE;
          case LOCAL -> FsMode.LOCAL;
          case LOCAL_WITH_OVERRIDES -> FsMode.LOCALWITHOVERRIDES;
        };
    return new ProxySettings(
            mode,
            fs.readWrite(),
            fs.readOnly(),
            fs.local(),
            fs.notFound(),
            c.experimental().readlink(),
            out.tcp(),
            out.udp(),
            out.ignoreLocalhost(),
            filter.flatMap(f -> f.local()).orElse(List.of()),
            filter.flatMap(f -> f.remote()).orElse(List.of()),
            out.unixStreams(),
            c.feature().network().dns().enabled(),
            c.feature().hostname(),
            c.skipProcesses(),
            c.skipBuildTools(),
            List.of(),
            c.experimental().tcpPing4Mock(),
            Duration.ofSeconds(c.internalProxy().startIdleTimeout()),
            Duration.ofSeconds(c.internalProxy().idleTimeout()),
            facts)
        .withFsMapping(fs.mapping(), fs.readonlyFileBuffer());
  }

  /** The product defaults (what an empty configuration means). */
  public static ProxySettings defaults(LocalFacts facts) {
    return new ProxySettings(
        FsMode.READ,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        false,
        true,
        true,
        false,
        List.of(),
        List.of(),
        List.of(),
        true,
        true,
        List.of(),
        true,
        List.of(),
        true,
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        facts);
  }

  public ProxySettings withFs(
      FsMode mode, List<String> rw, List<String> ro, List<String> loc, List<String> nf) {
    return new ProxySettings(
        mode,
        rw,
        ro,
        loc,
        nf,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }

  public ProxySettings withOutgoing(
      boolean tcp,
      boolean udp,
      boolean ignoreLocal,
      List<String> fLocal,
      List<String> fRemote,
      List<String> unix) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcp,
        udp,
        ignoreLocal,
        fLocal,
        fRemote,
        unix,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }

  public ProxySettings withNames(boolean dnsOn, boolean hostnameOn) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dnsOn,
        hostnameOn,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }

  public ProxySettings withSkip(List<String> processes, boolean buildTools, List<String> extra) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        processes,
        buildTools,
        extra,
        tcpPing4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }

  public ProxySettings withExperimental(boolean readlinkOn, boolean ping4Mock) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlinkOn,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        ping4Mock,
        startIdleTimeout,
        idleTimeout,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }

  public ProxySettings withTimeouts(Duration startIdle, Duration idle) {
    return new ProxySettings(
        fsMode,
        readWrite,
        readOnly,
        local,
        notFound,
        readlink,
        tcpOutgoing,
        udpOutgoing,
        ignoreLocalhost,
        filterLocal,
        filterRemote,
        unixStreams,
        dns,
        hostname,
        skipProcesses,
        skipBuildTools,
        skipExtraBuildTools,
        tcpPing4Mock,
        startIdle,
        idle,
        facts,
        fsMapping,
        readonlyFileBuffer);
  }
}
