package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.bind.ConfigValueException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetPathTest {

  @Test
  void everyAcceptedPrefix() throws Exception {
    assertEquals(new TargetPath.Pod("p", Optional.empty()), TargetPath.parse("pod/p"));
    assertEquals(new TargetPath.Pod("p", Optional.of("c")), TargetPath.parse("pod/p/container/c"));
    assertEquals(
        new TargetPath.Pod("p", Optional.of("c")), TargetPath.parse("podname/p/container/c"));
    assertEquals(
        new TargetPath.Deployment("d", Optional.empty()), TargetPath.parse("deployment/d"));
    assertEquals(
        new TargetPath.Deployment("d", Optional.of("c")),
        TargetPath.parse("deployment/d/container/c"));
    assertEquals(new TargetPath.Container("c"), TargetPath.parse("container/c"));
    assertEquals(new TargetPath.Container("c"), TargetPath.parse("containername/c"));
    assertEquals(new TargetPath.Job("j", Optional.of("c")), TargetPath.parse("job/j/container/c"));
    assertEquals(new TargetPath.Pid(123, Optional.empty()), TargetPath.parse("pid/123"));
    assertEquals(new TargetPath.Targetless(), TargetPath.parse("targetless"));
  }

  @Test
  void renderIsTheCanonicalStringForm() throws Exception {
    for (String s :
        new String[] {
          "pod/p",
          "pod/p/container/c",
          "deployment/d",
          "container/c",
          "job/j",
          "pid/7",
          "pid/7/container/x",
          "targetless"
        }) {
      assertEquals(s, TargetPath.parse(s).render());
    }
    assertEquals("pod/p", TargetPath.parse("podname/p").render());
  }

  @Test
  void rejectsWithAcceptedForms() {
    for (String bad :
        new String[] {
          "bear-pod",
          "pods/p",
          "pod/",
          "pod/p/container",
          "pod/p/foo/c",
          "pid/abc",
          "pid/0",
          "pid/-3",
          "container/c/container/d",
          ""
        }) {
      ConfigValueException e =
          assertThrows(ConfigValueException.class, () -> TargetPath.parse(bad), bad);
      assertTrue(e.getMessage().contains("targetless"), e.getMessage());
    }
  }

  @Test
  void unknownPrefixErrorNamesPathAndValue() {
    ResolveResult r = Resolve.json("{\"target\": \"bear-pod\"}");
    ConfigError e =
        Resolve.error(r, "target.path", "Did you remember to add a prefix, e.g. pod/bear-pod?");
    assertEquals("\"bear-pod\"", e.value());
  }

  @Test
  void prefixHintOnlyWhenThePrefixIsMissing() {
    ConfigValueException slash =
        assertThrows(ConfigValueException.class, () -> TargetPath.parse("pod/a/b"));
    assertTrue(slash.getMessage().contains("'pod/a/b'"), slash.getMessage());
    assertTrue(!slash.getMessage().contains("e.g. pod/pod/"), slash.getMessage());
    ConfigValueException empty =
        assertThrows(ConfigValueException.class, () -> TargetPath.parse(""));
    assertTrue(empty.getMessage().contains("the target is empty"), empty.getMessage());
  }

  @Test
  void mirrordTargetKindsWeDoNotSupportAreNamed() {
    for (String kind :
        new String[] {"rollout", "statefulset", "cronjob", "service", "replicaset"}) {
      ConfigValueException e =
          assertThrows(ConfigValueException.class, () -> TargetPath.parse(kind + "/x"));
      assertTrue(
          e.getMessage().contains("target type '" + kind + "' is not supported by mirrordj"),
          e.getMessage());
      assertTrue(e.getMessage().contains("targetless"), e.getMessage());
    }
  }
}
