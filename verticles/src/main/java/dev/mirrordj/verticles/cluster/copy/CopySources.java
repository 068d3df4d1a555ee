package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.ResolvedTarget;
import dev.mirrordj.verticles.kube.TargetRef;
import dev.mirrordj.verticles.kube.TargetResolutionException;
import dev.mirrordj.verticles.kube.TargetResolver;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Finds what to copy for a target. A deployment or job is copied from its pod template (the
 * declared shape, free of what the kubelet and admission added to a running pod); a pod from its
 * own spec; a {@code container/} target from the pod the resolver picks. Blocking: call from a
 * worker thread.
 */
final class CopySources {
  private final KubernetesClient client;

  CopySources(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @throws TargetResolutionException when the object does not exist or has no pod template
   */
  CopySource find(TargetRef ref, String ns) {
    return switch (ref.kind()) {
      case POD -> fromPod(pod(ref.name(), ns));
      case CONTAINER -> fromPod(containerPod(ref, ns));
      case DEPLOYMENT -> fromDeployment(ref.name(), ns);
      case JOB -> fromJob(ref.name(), ns);
    };
  }

  private Pod pod(String name, String ns) {
    Pod pod = client.pods().inNamespace(ns).withName(name).get();
    if (pod == null) {
      throw new TargetResolutionException("pod '" + name + "' not found in namespace '" + ns + "'");
    }
    return pod;
  }

  private Pod containerPod(TargetRef ref, String ns) {
    ResolvedTarget resolved = new TargetResolver(client).resolve(ref, ns);
    return resolved.pod();
  }

  private static CopySource fromPod(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    return new CopySource(
        "pod/" + meta.getName(),
        meta.getName(),
        orEmpty(meta.getLabels()),
        orEmpty(meta.getAnnotations()),
        pod.getSpec(),
        false);
  }

  private CopySource fromDeployment(String name, String ns) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
    if (d == null) {
      throw new TargetResolutionException(
          "deployment '" + name + "' not found in namespace '" + ns + "'");
    }
    return fromTemplate(
        "deployment/" + name, name, d.getSpec() == null ? null : d.getSpec().getTemplate(), false);
  }

  private CopySource fromJob(String name, String ns) {
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
    if (job == null) {
      throw new TargetResolutionException("job '" + name + "' not found in namespace '" + ns + "'");
    }
    return fromTemplate(
        "job/" + name, name, job.getSpec() == null ? null : job.getSpec().getTemplate(), true);
  }

  private static CopySource fromTemplate(
      String description, String name, PodTemplateSpec template, boolean fromJob) {
    if (template == null || template.getSpec() == null) {
      throw new TargetResolutionException(description + " has no pod template to copy");
    }
    ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    return new CopySource(
        description,
        name,
        orEmpty(meta.getLabels()),
        orEmpty(meta.getAnnotations()),
        template.getSpec(),
        fromJob);
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
