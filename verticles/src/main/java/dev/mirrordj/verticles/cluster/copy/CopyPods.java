package dev.mirrordj.verticles.cluster.copy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes a copy pod from a {@link CopySource}. What changes and why:
 *
 * <ul>
 *   <li>liveness, readiness and startup probes are removed: while a developer's local process
 *       answers for the copy, its own port may be silent, and a failing probe would restart or
 *       unlist it;
 *   <li>the application's labels stay (Services keep selecting the copy), the controller's labels
 *       go ({@link CopyMarkers#CONTROLLER_LABELS}), a session label is added;
 *   <li>the node binding of a running pod ({@code nodeName}) and its ephemeral containers go: the
 *       scheduler places the copy like any new pod;
 *   <li>a Job's copy gets {@code restartPolicy: Never}: it is a bare pod and runs once.
 * </ul>
 */
final class CopyPods {
  /** Pod names are DNS labels when they double as hostnames. */
  static final int MAX_NAME = 63;

  private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private CopyPods() {}

  /** A fresh, unique-enough name: {@code <base>-copy-<5 random>}, at most 63 characters. */
  static String copyName(String baseName) {
    StringBuilder suffix = new StringBuilder("-copy-");
    for (int i = 0; i < 5; i++) {
      suffix.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
    }
    String base = baseName;
    if (base.length() + suffix.length() > MAX_NAME) {
      base = base.substring(0, MAX_NAME - suffix.length()).replaceAll("[-.]+$", "");
    }
    return base + suffix;
  }

  static Pod copy(
      CopySource source, String name, String namespace, String sessionId, String owner) {
    Map<String, String> labels = new LinkedHashMap<>(source.labels());
    labels.keySet().removeAll(CopyMarkers.CONTROLLER_LABELS);
    labels.put(CopyMarkers.SESSION_LABEL, CopyMarkers.labelValue(sessionId));
    Map<String, String> annotations = new LinkedHashMap<>(source.annotations());
    annotations.put(CopyMarkers.SESSION_ANNOTATION, sessionId);
    annotations.put(CopyMarkers.SOURCE_ANNOTATION, source.description());
    if (owner != null) {
      annotations.put(CopyMarkers.OWNER_ANNOTATION, owner);
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(spec(source))
        .build();
  }

  private static PodSpec spec(CopySource source) {
    PodSpec original = source.spec();
    PodSpecBuilder spec =
        new PodSpecBuilder(original)
            .withNodeName(null)
            .withEphemeralContainers(List.of())
            .withContainers(withoutProbes(original.getContainers()))
            .withInitContainers(withoutProbes(original.getInitContainers()));
    if (source.fromJob()) {
      spec.withRestartPolicy("Never");
    }
    return spec.build();
  }

  private static List<Container> withoutProbes(List<Container> containers) {
    if (containers == null) {
      return List.of();
    }
    return containers.stream()
        .map(
            c ->
                new ContainerBuilder(c)
                    .withLivenessProbe(null)
                    .withReadinessProbe(null)
                    .withStartupProbe(null)
                    .build())
        .toList();
  }
}
