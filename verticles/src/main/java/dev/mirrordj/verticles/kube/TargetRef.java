package dev.mirrordj.verticles.kube;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Kubernetes target as written in {@code target.path}: {@code
 * <kind>/<name>[/container/<container>]}. Kinds: {@code pod} (alias {@code podname}), {@code
 * deployment}, {@code job}, and {@code container} (alias {@code containername}), which means "a
 * running pod of the namespace that has a container of this name". The string form is what {@code
 * TargetPath.render()} of the config model produces.
 */
public record TargetRef(Kind kind, String name, Optional<String> container) {

  /** The target kinds this client resolves against the API. */
  public enum Kind {
    POD("pod"),
    DEPLOYMENT("deployment"),
    JOB("job"),
    CONTAINER("container");

    final String word;

    Kind(String word) {
      this.word = word;
    }
  }

  /**
   * Parses a target path.
   *
   * @throws IllegalArgumentException naming the bad path and the accepted forms
   */
  public static TargetRef parse(String path) {
    String[] parts = path == null ? new String[0] : path.split("/", -1);
    if (parts.length != 2 && parts.length != 4) {
      throw invalid(path, "expected <kind>/<name> or <kind>/<name>/container/<container>");
    }
    Kind kind =
        switch (parts[0].toLowerCase(Locale.ROOT)) {
          case "pod", "podname" -> Kind.POD;
          case "deployment" -> Kind.DEPLOYMENT;
          case "job" -> Kind.JOB;
          case "container", "containername" -> Kind.CONTAINER;
          default -> throw invalid(path, "unknown kind '" + parts[0] + "'");
        };
    if (parts[1].isBlank()) {
      throw invalid(path, "the name is empty");
    }
    Optional<String> container = Optional.empty();
    if (parts.length == 4) {
      if (!parts[2].equals("container") || parts[3].isBlank()) {
        throw invalid(path, "after the name only /container/<container> may follow");
      }
      if (kind == Kind.CONTAINER) {
        throw invalid(path, "a container target already names its container");
      }
      container = Optional.of(parts[3]);
    }
    return new TargetRef(kind, parts[1], container);
  }

  private static IllegalArgumentException invalid(String path, String why) {
    String kinds = Arrays.stream(Kind.values()).map(k -> k.word).collect(Collectors.joining(", "));
    return new IllegalArgumentException(
        "invalid target path '"
            + path
            + "': "
            + why
            + "; accepted: "
            + "<kind>/<name>[/container/<container>] with kind one of "
            + kinds
            + " (podname, containername are aliases), or targetless");
  }

  /** The canonical string form, e.g. {@code pod/web/container/app}. */
  public String render() {
    return kind.word + "/" + name + container.map(c -> "/container/" + c).orElse("");
  }
}
