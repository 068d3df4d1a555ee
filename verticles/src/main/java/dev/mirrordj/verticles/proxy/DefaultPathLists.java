package dev.mirrordj.verticles.proxy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * mirrord's built-in path lists (reference mirrord-behaviour.md §5.5): read locally by default,
 * read remotely by default (only in localwithoverrides), and not found under the user's home.
 */
final class DefaultPathLists {
    private static final List<String> LOCAL = List.of(
            ".\\.so$", ".\\.sh$", ".\\.rb$", ".\\.d$", ".\\.pyc$", ".\\.py$", ".\\.jar$", ".\\.class$", ".\\.js$",
            ".\\.pth$", ".\\.plist$", "venv\\.cfg$", "^/proc(/|$)", "^/sys(/|$)", "^/lib(/|$)", "^/etc(/|$)",
            "^/usr(/|$)", "^/home(/|$)", "^/bin(/|$)", "^/sbin(/|$)", "^/dev(/|$)", "^/opt(/|$)", "^/tmp(/|$)",
            "^/var/tmp(/|$)", "^/var/db/timezone/zoneinfo(/|$)", "^/snap(/|$)", "^/run(/|$)", "^/selinux(/|$)",
            "^/nix(/|$)", ".+\\.asdf/.+", "^/home/iojs(/|$)", "^/home/runner(/|$)", "clr-.*-pipe-", "\\.pdb$",
            "\\.dll$", ".*(^|/)jvm\\.cfg$", "/package\\.json$", "/\\.yarnrc$", "/\\.yarnrc.yml$", "/\\.yarnrc.json$",
            "/node_modules", ".*/\\.tool-versions$", "^/Program Files", "^/$");
    private static final List<String> REMOTE = List.of(
            "^/etc/resolv.conf$", "^/etc/hosts$", "^/etc/hostname$", "^/etc/ssl/certs(/|$)");
    private static final List<String> NOT_FOUND_UNDER_HOME = List.of("\\.config/gcloud", "\\.kube", "\\.azure");

    /**
     * Directory prefixes the layer may treat as local without asking, valid only when the user gave
     * no pattern that could pull a path back (the proxy checks that before sending them).
     */
    static final List<String> FAST_LOCAL_PREFIXES = List.of("/proc", "/sys", "/lib", "/lib64", "/usr", "/bin",
            "/sbin", "/dev", "/opt", "/snap", "/nix", "/selinux", "/run", "/var/tmp");
    static final List<String> FAST_LOCAL_SUFFIXES = List.of(".so", ".pyc", ".class", ".jar");

    private DefaultPathLists() {}

    static List<Pattern> local(ProxySettings.LocalFacts f) {
        List<String> all = new ArrayList<>(LOCAL);
        all.add("^" + Pattern.quote(f.tempDir().toString()));
        if (f.layerTmp() != null) all.add("^" + Pattern.quote(f.layerTmp().toString()));
        if (!f.cwd().toString().equals("/")) all.add("^" + Pattern.quote(f.cwd().toString()) + "(/|$)");
        all.add("^" + Pattern.quote(f.home().toString()) + "/\\.");
        ProcessHandle.current().info().command().ifPresent(exe -> all.add(Pattern.quote(exe) + "$"));
        return compile(all);
    }

    static List<Pattern> remote() {
        return compile(REMOTE);
    }

    static List<Pattern> notFound(Path home) {
        String prefix = "^" + Pattern.quote(home.toString()) + "/";
        return compile(NOT_FOUND_UNDER_HOME.stream().map(p -> prefix + p).toList());
    }

    /** Patterns are case-insensitive and searched (not anchored), as mirrord's regex sets are. */
    static List<Pattern> compile(List<String> patterns) {
        List<Pattern> out = new ArrayList<>();
        for (String p : patterns) out.add(Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        return out;
    }

    static boolean any(List<Pattern> patterns, String path) {
        for (Pattern p : patterns) if (p.matcher(path).find()) return true;
        return false;
    }
}
