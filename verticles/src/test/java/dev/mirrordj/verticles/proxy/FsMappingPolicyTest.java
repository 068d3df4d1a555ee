package dev.mirrordj.verticles.proxy;

import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.LOCAL;
import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.NOT_FOUND;
import static dev.mirrordj.verticles.proxy.FsPolicy.Decision.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.verticles.proxy.ProxySettings.FsMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** feature.fs.mapping before the policy, and user patterns matched with the validating dialect. */
class FsMappingPolicyTest {

  private static FsPolicy policy(Map<String, String> mapping, List<String> readWrite) {
    return new FsPolicy(
        PolicyTest.BASE
            .withFs(FsMode.LOCALWITHOVERRIDES, readWrite, List.of(), List.of(), List.of())
            .withFsMapping(mapping, ProxySettings.DEFAULT_READONLY_FILE_BUFFER));
  }

  @Test
  void theFirstMatchingPatternRewritesWithGroupsAndTheRestAreNotTried() {
    Map<String, String> mapping = new LinkedHashMap<>();
    mapping.put("^/home/(?<user>[^/]+)/dev/config/(?<app>[^/]+)", "/mnt/configs/${user}-$app");
    mapping.put("^/home/", "/never/");
    mapping.put("source_test", "sink_test");
    FsPolicy p = policy(mapping, List.of(".*remote_test.*"));
    assertEquals("/mnt/configs/jo-api/app.conf", p.map("/home/jo/dev/config/api/app.conf"));
    assertEquals("/never/jo/x", p.map("/home/jo/x"));
    assertEquals("/tmp/sink_test/a", p.map("/tmp/SOURCE_TEST/a"), "case-insensitive");
    assertEquals("/tmp/other", p.map("/tmp/other"), "no match: unchanged");
    assertEquals(List.of(), p.fastLocalPrefixes(), "mapping disables the layer's shortcuts");
  }

  @Test
  void decisionsAreTakenOnTheMappedPath() {
    FsPolicy p = policy(Map.of("^/data/", "/tmp/remote_test/"), List.of(".*remote_test.*"));
    assertEquals(REMOTE, p.decide(p.map("/data/x"), true));
    assertEquals(LOCAL, p.decide(p.map("/elsewhere/x"), true));
  }

  @Test
  void userPatternsUseFancyRegexSyntaxLikeValidation() {
    // (?P<name>...) is fancy-regex syntax that java.util.regex rejects: patterns are compiled by
    // the same matcher that validated them
    FsPolicy p =
        new FsPolicy(
            PolicyTest.BASE.withFs(
                FsMode.READ,
                List.of("^/srv/(?P<d>data)/"),
                List.of(),
                List.of(),
                List.of("^/app/SECRET")));
    assertEquals(REMOTE, p.decide("/srv/data/file", true));
    assertEquals(NOT_FOUND, p.decide("/app/secret", false), "case-insensitive as validated");
  }
}
