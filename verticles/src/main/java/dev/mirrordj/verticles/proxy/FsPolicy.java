package dev.mirrordj.verticles.proxy;

import dev.mirrordj.config.regex.FancyRegex;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, per path, where a file operation goes, in mirrord's order: mode local; user not_found,
 * read_write, read_only, local; default not-found, default remote (only localwithoverrides, reads
 * only), default local; then the mode. feature.fs.mapping rewrites a path first ({@link #map}).
 * Patterns are fancy-regex, as validated. Decisions are cached.
 */
public final class FsPolicy {

  /** Where an operation goes. */
  public enum Decision {
    LOCAL,
    REMOTE,
    NOT_FOUND
  }

  private static final int CACHE_LIMIT = 50_000;

  private final ProxySettings.FsMode mode;
  private final ProxySettings.LocalFacts facts;
  private final List<FancyRegex> userNotFound, userReadWrite, userReadOnly, userLocal;
  private final List<FancyRegex> defaultNotFound, defaultRemote, defaultLocal;
  private final PathMapping mapping;
  private final Map<String, Decision> readCache = new ConcurrentHashMap<>();
  private final Map<String, Decision> writeCache = new ConcurrentHashMap<>();

  public FsPolicy(ProxySettings s) {
    mode = s.fsMode();
    facts = s.facts();
    userNotFound = DefaultPathLists.compile(s.notFound());
    userReadWrite = DefaultPathLists.compile(s.readWrite());
    userReadOnly = DefaultPathLists.compile(s.readOnly());
    userLocal = DefaultPathLists.compile(s.local());
    defaultNotFound = DefaultPathLists.notFound(s.facts().home());
    defaultRemote = DefaultPathLists.remote();
    defaultLocal = DefaultPathLists.local(s.facts());
    mapping = new PathMapping(s.fsMapping());
  }

  /**
   * The path an operation on {@code requested} really uses: feature.fs.mapping applied, before any
   * decision (decisions are taken on the mapped path).
   */
  public String map(String requested) {
    return mapping.apply(requested);
  }

  public boolean enabled() {
    return mode != ProxySettings.FsMode.LOCAL;
  }

  /** True when no user pattern can send a path back to the remote or to ENOENT. */
  public boolean fastPathSafe() {
    return userNotFound.isEmpty()
        && userReadWrite.isEmpty()
        && userReadOnly.isEmpty()
        && mapping.isEmpty();
  }

  public Decision decide(String path, boolean forWriting) {
    Map<String, Decision> cache = forWriting ? writeCache : readCache;
    Decision d = cache.get(path);
    if (d == null) {
      d = compute(path, forWriting);
      if (cache.size() > CACHE_LIMIT) cache.clear();
      cache.put(path, d);
    }
    return d;
  }

  private Decision compute(String path, boolean forWriting) {
    if (mode == ProxySettings.FsMode.LOCAL) return Decision.LOCAL;
    if (!path.startsWith("/"))
      return DefaultPathLists.any(userNotFound, path) ? Decision.NOT_FOUND : Decision.LOCAL;
    if (DefaultPathLists.any(userNotFound, path)) return Decision.NOT_FOUND;
    if (DefaultPathLists.any(userReadWrite, path)) return Decision.REMOTE;
    if (DefaultPathLists.any(userReadOnly, path))
      return forWriting ? Decision.LOCAL : Decision.REMOTE;
    if (DefaultPathLists.any(userLocal, path)) return Decision.LOCAL;
    if (DefaultPathLists.any(defaultNotFound, path)) return Decision.NOT_FOUND;
    if (mode == ProxySettings.FsMode.LOCALWITHOVERRIDES
        && !forWriting
        && DefaultPathLists.any(defaultRemote, path)) return Decision.REMOTE;
    if (DefaultPathLists.any(defaultLocal, path)) return Decision.LOCAL;
    return switch (mode) {
      case LOCALWITHOVERRIDES, LOCAL -> Decision.LOCAL;
      case WRITE -> Decision.REMOTE;
      case READ -> forWriting ? Decision.LOCAL : Decision.REMOTE;
    };
  }

  /**
   * Prefixes for the layer's no-round-trip check; empty when a user pattern could override them.
   */
  public List<String> fastLocalPrefixes() {
    if (!enabled() || !fastPathSafe()) return List.of();
    java.util.ArrayList<String> candidates =
        new java.util.ArrayList<>(DefaultPathLists.FAST_LOCAL_PREFIXES);
    for (java.nio.file.Path p :
        new java.nio.file.Path[] {facts.cwd(), facts.tempDir(), facts.layerTmp()}) {
      // a directory holding the home (whose .kube etc. are not-found) must keep asking
      if (p != null && !p.toString().equals("/") && !facts.home().startsWith(p))
        candidates.add(p.toString());
    }
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (String p : candidates) {
      // user "local" patterns only make more paths local, so the default decision is the floor
      if (decide(p + "/x", false) == Decision.LOCAL && decide(p + "/x", true) == Decision.LOCAL)
        out.add(p);
    }
    return out;
  }

  public List<String> fastLocalSuffixes() {
    return enabled() && fastPathSafe() ? DefaultPathLists.FAST_LOCAL_SUFFIXES : List.of();
  }
}
