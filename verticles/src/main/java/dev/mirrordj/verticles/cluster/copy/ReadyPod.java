package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.TargetRef;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A ready pod of a watched deployment.
 *
 * @param target {@code pod/<name>}, with the container the deployment target named, ready to
 *     resolve and launch an agent for
 * @param pod the pod as the API reported it
 */
public record ReadyPod(String namespace, String name, TargetRef target, Pod pod) {}
