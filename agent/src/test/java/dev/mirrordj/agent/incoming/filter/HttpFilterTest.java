package dev.mirrordj.agent.incoming.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpFilterTest {

  private static RequestView req(String method, String target, String... nameValue) {
    List<Map.Entry<String, String>> list = new java.util.ArrayList<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      list.add(Map.entry(nameValue[i], nameValue[i + 1]));
    }
    return new RequestView(method, target, list);
  }

  private static RequestView get(String target, String... nameValue) {
    return req("GET", target, nameValue);
  }

  private static RequestBody body(String json) {
    return RequestBody.of(json.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpFilter compile(FilterSpec spec) {
    return FilterCompiler.compile(
        new Incoming.Subscribe(80, Incoming.MODE_STEAL, "", "", false, false, spec, 100, 50));
  }

  @Test
  void headerFilterSeesLowercasedNameColonValueCaseInsensitively() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("^X-User: Alice$"));
    assertTrue(f.matches(get("/", "X-USER", "alice")));
    assertFalse(f.matches(get("/", "X-User", "alicia")));
    assertFalse(f.matches(get("/")));
  }

  @Test
  void kubeProbeNegativeLookaheadAsWrittenInTheReference() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("^User-Agent: (?!kube-probe)"));
    assertFalse(f.matches(get("/", "User-Agent", "kube-probe/1.29")));
    assertTrue(f.matches(get("/", "User-Agent", "curl/8.0")));
  }

  @Test
  void pathFilterTriesThePathThenPathWithQuery() {
    HttpFilter f = HttpFilter.path(FancyFilterRegex.compile("^(?!/health/)"));
    assertFalse(f.matches(get("/health/live")));
    assertTrue(f.matches(get("/api")));
    HttpFilter q = HttpFilter.path(FancyFilterRegex.compile("debug=1"));
    assertTrue(q.matches(get("/x?debug=1")));
    assertFalse(q.matches(get("/x")));
  }

  @Test
  void catastrophicPatternIsNoMatchNotAHang() {
    HttpFilter f = HttpFilter.header(FancyFilterRegex.compile("(.*a){12}x"));
    assertFalse(f.matches(get("/", "x-a", "a".repeat(40))));
  }

  @Test
  void bothFiltersWithAllNeedBoth() {
    FilterRegex h = FancyFilterRegex.compile("^x-user: alice$");
    FilterRegex p = FancyFilterRegex.compile("^/api");
    HttpFilter f = HttpFilter.headerAndPath(h, p, true);
    assertTrue(f.matches(get("/api/1", "x-user", "alice")));
    assertFalse(f.matches(get("/web", "x-user", "alice")));
    HttpFilter any = HttpFilter.headerAndPath(h, p, false);
    assertTrue(any.matches(get("/web", "x-user", "alice")));
    assertNull(HttpFilter.headerAndPath(null, null, true));
  }

  @Test
  void methodFilterIsCaseInsensitiveAndExact() {
    HttpFilter f = compile(new FilterSpec.Method("post"));
    assertTrue(f.matches(req("POST", "/")));
    assertFalse(f.matches(req("POSTX", "/")));
    assertFalse(f.matches(req("GET", "/")));
    assertFalse(f.needsBody());
  }

  @Test
  void nestedCompositesCombineHeaderPathAndMethod() {
    // POST to /api with x-user alice, or anything carrying x-debug: 1
    HttpFilter f =
        compile(
            new FilterSpec.AnyOf(
                List.of(
                    new FilterSpec.AllOf(
                        List.of(
                            new FilterSpec.Method("POST"),
                            new FilterSpec.Path("^/api"),
                            new FilterSpec.Header("^x-user: alice$"))),
                    new FilterSpec.Header("^x-debug: 1$"))));
    assertTrue(f.matches(req("POST", "/api/x", "x-user", "alice")));
    assertFalse(f.matches(req("GET", "/api/x", "x-user", "alice")));
    assertFalse(f.matches(req("POST", "/web", "x-user", "alice")));
    assertTrue(f.matches(req("GET", "/web", "X-Debug", "1")));
    assertFalse(f.matches(req("GET", "/web")));
  }

  @Test
  void jsonBodyFilterSelectsWithJsonPathAndMatchesTheValueText() {
    HttpFilter f = compile(new FilterSpec.JsonBody("$.order.items[*].sku", "^AB-\\d+$"));
    assertTrue(f.needsBody());
    assertEquals(100, f.maxBodyBytes());
    assertEquals(50, f.bodyTimeout().toMillis());
    RequestView post = req("POST", "/orders");
    assertTrue(
        f.matches(post, body("{\"order\":{\"items\":[{\"sku\":\"x\"},{\"sku\":\"AB-12\"}]}}")));
    assertFalse(f.matches(post, body("{\"order\":{\"items\":[{\"sku\":\"x\"}]}}")));
    assertFalse(f.matches(post, body("not json")), "a body that is not JSON does not match");
    assertFalse(f.matches(post, RequestBody.UNAVAILABLE), "an unavailable body does not match");
    assertFalse(f.matches(post), "without the body a body filter is false");
    HttpFilter numbers = compile(new FilterSpec.JsonBody("$..id", "^4\\d$"));
    assertTrue(numbers.matches(post, body("{\"a\":{\"b\":[{\"id\":42}]}}")), "numbers as text");
  }

  @Test
  void badPatternsAreRejectedWithTheirText() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> compile(new FilterSpec.JsonBody("$.a[?@.b]", "x")));
    assertTrue(e.getMessage().contains("$.a[?@.b]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> compile(new FilterSpec.AllOf(List.of())));
    assertThrows(IllegalArgumentException.class, () -> compile(new FilterSpec.Header("(")));
  }
}
