package dev.mirrordj.verticles.cluster.copy;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;

/**
 * The pod shape a copy is made from: a pod's own spec, or the pod template of a deployment or job.
 *
 * @param description what it came from, e.g. {@code deployment/api} (for messages and the copy's
 *     annotation)
 * @param baseName the name the copy's name starts with
 * @param labels the pod's (or template's) labels
 * @param annotations the pod's (or template's) annotations
 * @param spec the pod spec; {@link CopyPods} works on a copy of it
 * @param fromJob whether a Job's template: its copy never restarts
 */
public record CopySource(
    String description,
    String baseName,
    Map<String, String> labels,
    Map<String, String> annotations,
    PodSpec spec,
    boolean fromJob) {}
