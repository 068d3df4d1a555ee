package dev.mirrordj.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.verticles.kube.AgentSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** conf/operator/ parsed into fabric8 objects, and what the operator needs checked in them. */
class OperatorManifestsTest {
  private static final Path DIR = Path.of("..", "conf", "operator");

  @Test
  void theDeploymentRunsThreeNodesOfTheAgentImageWithOperatorServe() throws Exception {
    Deployment d = one("deployment.yaml", Deployment.class);
    assertEquals(3, d.getSpec().getReplicas());
    assertEquals("mirrord-operator", d.getSpec().getTemplate().getSpec().getServiceAccountName());
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(AgentSettings.DEFAULT_IMAGE, c.getImage(), "the agent image");
    assertEquals(List.of("operator", "serve"), c.getArgs().subList(0, 2));
    assertTrue(
        c.getArgs().contains("--port=7700") && c.getArgs().contains("--http-port=7800"),
        c.getArgs().toString());
    assertTrue(
        c.getArgs().contains("--kubernetes-service=mirrord-operator"), c.getArgs().toString());
    assertTrue(c.getArgs().contains("--host=$(POD_IP)"), c.getArgs().toString());
    assertEquals("status.podIP", c.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath());
    assertEquals(
        d.getSpec().getSelector().getMatchLabels(),
        d.getSpec().getTemplate().getMetadata().getLabels());
  }

  @Test
  void theServiceSelectsTheNodesAndExposesTheirPorts() throws Exception {
    Service s = one("service.yaml", Service.class);
    Deployment d = one("deployment.yaml", Deployment.class);
    assertEquals(
        "mirrord-operator", s.getMetadata().getName(), "the name --kubernetes-service gives");
    assertEquals(d.getSpec().getTemplate().getMetadata().getLabels(), s.getSpec().getSelector());
    Map<String, Integer> ports =
        s.getSpec().getPorts().stream()
            .collect(Collectors.toMap(ServicePort::getName, ServicePort::getPort));
    assertEquals(Map.of("sessions", 7700, "http", 7800, "hazelcast", 5701), ports);
    Set<String> containerPorts =
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
            .map(p -> p.getName())
            .collect(Collectors.toSet());
    s.getSpec()
        .getPorts()
        .forEach(
            p -> assertTrue(containerPorts.contains(p.getTargetPort().getStrVal()), p.toString()));
  }

  @Test
  void rbacGrantsExactlyTheReadsOfHazelcastsDiscovery() throws Exception {
    List<HasMetadata> rbac = all("rbac.yaml");
    Role role =
        rbac.stream()
            .filter(Role.class::isInstance)
            .map(Role.class::cast)
            .findFirst()
            .orElseThrow();
    RoleBinding binding =
        rbac.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .findFirst()
            .orElseThrow();
    Set<String> grants = new TreeSet<>();
    for (PolicyRule r : role.getRules()) {
      for (String group : r.getApiGroups())
        for (String res : r.getResources())
          for (String verb : r.getVerbs()) grants.add(group + "/" + res + ":" + verb);
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                "discovery.k8s.io/endpointslices:get",
                "discovery.k8s.io/endpointslices:list",
                "/endpoints:get",
                "/endpoints:list",
                "/pods:get",
                "/pods:list")),
        grants);
    ServiceAccount sa = one("serviceaccount.yaml", ServiceAccount.class);
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
    assertEquals(sa.getMetadata().getNamespace(), binding.getSubjects().get(0).getNamespace());
  }

  @Test
  void aClusterRoleGrantsExactlyWhatKubernetesTargetsUse() throws Exception {
    List<HasMetadata> rbac = all("rbac.yaml");
    ClusterRole role =
        rbac.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    ClusterRoleBinding binding =
        rbac.stream()
            .filter(ClusterRoleBinding.class::isInstance)
            .map(ClusterRoleBinding.class::cast)
            .findFirst()
            .orElseThrow();
    Set<String> grants = new TreeSet<>();
    for (PolicyRule r : role.getRules()) {
      for (String group : r.getApiGroups())
        for (String res : r.getResources())
          for (String verb : r.getVerbs()) grants.add(group + "/" + res + ":" + verb);
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                "/pods:get",
                "/pods:list",
                "/pods:create",
                "/pods:delete",
                "/pods/log:get",
                "/pods/portforward:get",
                "/pods/portforward:create",
                "/pods/ephemeralcontainers:patch",
                "/nodes:get",
                "batch/jobs:get",
                "batch/jobs:create",
                "batch/jobs:delete",
                "apps/deployments:get",
                "apps/deployments:update")),
        grants);
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals("ClusterRole", binding.getRoleRef().getKind());
    assertEquals("mirrord-operator", binding.getSubjects().get(0).getName());
    assertEquals("mirrord", binding.getSubjects().get(0).getNamespace());
  }

  private static <T> T one(String file, Class<T> type) throws Exception {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      return Serialization.unmarshal(in, type);
    }
  }

  private static List<HasMetadata> all(String file) throws Exception {
    String text = Files.readString(DIR.resolve(file));
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : text.split("(?m)^---$")) {
      if (!doc.isBlank()) out.add(Serialization.unmarshal(doc));
    }
    return out;
  }
}
