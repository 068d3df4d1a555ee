package dev.mirrordj.agent.incoming.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpFilterTest {

  private static List<Map.Entry<String, String>> headers(String... nameValue) {
    List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      list.add(Map.entry(nameValue[i], nameValue[i + 1]));
    }
    return list;
  }

  @Test
  void headerFilterSeesLowercasedNameColonValueCaseInsensitively() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("^X-User: Alice$"));
    assertTrue(f.matches("/", headers("X-USER", "alice")));
    assertFalse(f.matches("/", headers("X-User", "alicia")));
    assertFalse(f.matches("/", headers()));
  }

  @Test
  void kubeProbeNegativeLookaheadAsWrittenInTheReference() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("^User-Agent: (?!kube-probe)"));
    assertFalse(f.matches("/", headers("User-Agent", "kube-probe/1.29")));
    assertTrue(f.matches("/", headers("User-Agent", "curl/8.0")));
  }

  @Test
  void pathFilterTriesThePathThenPathWithQuery() {
    HttpFilter f = HttpFilter.path(FancyFilterRegex.compile("^(?!/health/)"));
    assertFalse(f.matches("/health/live", headers()));
    assertTrue(f.matches("/api", headers()));
    HttpFilter q = HttpFilter.path(FancyFilterRegex.compile("debug=1"));
    assertTrue(q.matches("/x?debug=1", headers()));
    assertFalse(q.matches("/x", headers()));
  }

  @Test
  void catastrophicPatternIsNoMatchNotAHang() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("(.*a){12}x"));
    assertFalse(f.matches("/", headers("x-a", "a".repeat(40))));
  }

  @Test
  void bothFiltersWithAllNeedBoth() {
    HttpFilter f =
        new HttpFilter(
            FancyFilterRegex.compile("^x-user: alice$"), FancyFilterRegex.compile("^/api"), true);
    assertTrue(f.matches("/api/1", headers("x-user", "alice")));
    assertFalse(f.matches("/web", headers("x-user", "alice")));
    HttpFilter any = new HttpFilter(f.header(), f.path(), false);
    assertTrue(any.matches("/web", headers("x-user", "alice")));
  }
}
