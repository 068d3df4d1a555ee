package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mirrordj.config.jsonpath.InvalidJsonPathException;
import dev.mirrordj.config.jsonpath.JsonPath;
import dev.mirrordj.config.regex.FancyRegex;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fields mirrord added after the reference: http_filter.method_filter / body_filter / all_of /
 * any_of, agent.max_body_buffer_size / _timeout, fs.mapping / readonly_file_buffer, env.env_file /
 * mapping. Each is accepted, defaults as mirrord's, and is rejected with its path, value and what
 * is accepted.
 */
class FiltersAndMappingConfigTest {
  private static final String HF = "feature.network.incoming.http_filter";

  private static String steal(String httpFilter) {
    return "{\"target\": \"pod/p\", \"feature\": {\"network\": {\"incoming\": {\"mode\": \"steal\","
        + " \"http_filter\": "
        + httpFilter
        + "}}}}";
  }

  @Test
  void defaultsAreMirrords() {
    MirrordConfig c = Resolve.okJson("{}");
    assertEquals(65535, c.agent().maxBodyBufferSize());
    assertEquals(1000, c.agent().maxBodyBufferTimeout());
    assertEquals(Map.of(), c.feature().fs().mapping());
    assertEquals(128_000, c.feature().fs().readonlyFileBuffer());
    assertEquals(Optional.empty(), c.feature().env().envFile());
    assertEquals(Map.of(), c.feature().env().mapping());
    assertEquals(List.of(), c.feature().network().incoming().httpFilter().kinds());
  }

  @Test
  void compositeMethodAndBodyFiltersAreAccepted() {
    HttpFilterConfig f =
        Resolve.okJson(
                steal(
                    "{\"any_of\": [{\"all_of\": [{\"method\": \"post\"}, {\"path\": \"^/api\"}]},"
                        + " {\"header\": \"^x-user: a$\"},"
                        + " {\"body\": \"json\", \"query\": \"$.a[*].b\", \"matches\": \"^1$\"}]}"))
            .feature()
            .network()
            .incoming()
            .httpFilter();
    assertTrue(f.isSet());
    List<HttpInnerFilter> any = f.anyOf().orElseThrow();
    assertEquals(Optional.of("post"), any.get(0).allOf().orElseThrow().get(0).method());
    assertEquals(Optional.of("$.a[*].b"), any.get(2).query());
    assertEquals(
        Optional.of("PATCH"),
        Resolve.okJson(steal("{\"method_filter\": \"PATCH\"}"))
            .feature()
            .network()
            .incoming()
            .httpFilter()
            .methodFilter());
    HttpBodyFilter body =
        Resolve.okJson(
                steal(
                    "{\"body_filter\": {\"body\": \"json\", \"query\": \"$.user\","
                        + " \"matches\": \"^alice$\"}}"))
            .feature()
            .network()
            .incoming()
            .httpFilter()
            .bodyFilter()
            .orElseThrow();
    assertEquals(new HttpBodyFilter("json", "$.user", "^alice$"), body);
  }

  @Test
  void filterErrorsNameThePathTheValueAndWhatIsAccepted() {
    ResolveResult r = Resolve.json(steal("{\"method_filter\": \"GET /\", \"path_filter\": \"x\"}"));
    assertEquals(
        "path_filter and method_filter",
        Resolve.error(r, HF, "Cannot use multiple types of HTTP filter").value());
    assertEquals(
        "GET /", Resolve.error(r, HF + ".method_filter", "expected an HTTP method").value());

    r = Resolve.json(steal("{\"all_of\": []}"));
    Resolve.error(r, HF + ".all_of", "needs at least one filter");

    r =
        Resolve.json(
            steal(
                "{\"any_of\": [{\"header\": \"a\", \"path\": \"b\"}, {},"
                    + " {\"all_of\": [{\"path\": \"(\"}]}, {\"method\": \"\"}]}"));
    assertEquals(
        "header and path", Resolve.error(r, HF + ".any_of[0]", "exactly one of header").value());
    assertEquals("{}", Resolve.error(r, HF + ".any_of[1]", "exactly one of header").value());
    assertEquals("(", Resolve.error(r, HF + ".any_of[2].all_of[0].path", "").value());
    Resolve.error(r, HF + ".any_of[3].method", "expected an HTTP method");

    r =
        Resolve.json(
            steal("{\"body_filter\": {\"body\": \"xml\", \"query\": \"a.b\", \"matches\": \"\"}}"));
    Resolve.error(r, HF + ".body_filter.body", "expected one of \"json\"");
    assertEquals(
        "a.b", Resolve.error(r, HF + ".body_filter.query", "not a valid JSONPath query").value());
    Resolve.error(r, HF + ".body_filter.matches", "a regex for the selected value is required");

    r = Resolve.json(steal("{\"any_of\": [{\"query\": \"$.a\", \"matches\": \"x\"}]}"));
    Resolve.error(r, HF + ".any_of[0].body", "needs \"body\": \"json\"");

    r =
        Resolve.json(
            steal(
                "{\"body_filter\": {\"body\": \"json\", \"query\": \"$[?@.a]\","
                    + " \"matches\": \"x\"}}"));
    Resolve.error(r, HF + ".body_filter.query", "filter selectors");
  }

  @Test
  void bufferLimitsAreCheckedAsUnsigned32BitNumbers() {
    ResolveResult r =
        Resolve.json(
            "{\"agent\": {\"max_body_buffer_size\": -1, \"max_body_buffer_timeout\": 4294967296}}");
    assertEquals("-1", Resolve.error(r, "agent.max_body_buffer_size", "out of range").value());
    Resolve.error(r, "agent.max_body_buffer_timeout", "expected an integer from 0 to 4294967295");
    MirrordConfig ok =
        Resolve.okJson(
            "{\"agent\": {\"max_body_buffer_size\": 1024, \"max_body_buffer_timeout\": 50}}");
    assertEquals(1024, ok.agent().maxBodyBufferSize());
    assertEquals(50, ok.agent().maxBodyBufferTimeout());
  }

  @Test
  void fsMappingAndReadonlyBuffer() {
    MirrordConfig c =
        Resolve.okJson(
            "{\"feature\": {\"fs\": {\"mapping\": {\"^/a/(\\\\w+)\": \"/b/$1\", \"x\": \"y\"},"
                + " \"readonly_file_buffer\": 4096}}}");
    assertEquals(List.of("^/a/(\\w+)", "x"), List.copyOf(c.feature().fs().mapping().keySet()));
    assertEquals(4096, c.feature().fs().readonlyFileBuffer());
    ResolveResult r =
        Resolve.json(
            "{\"feature\": {\"fs\": {\"mapping\": {\"(unclosed\": \"y\"},"
                + " \"readonly_file_buffer\": 16777216}}}");
    assertEquals("(unclosed", Resolve.error(r, "feature.fs.mapping.(unclosed", "").value());
    Resolve.error(r, "feature.fs.readonly_file_buffer", "expected an integer from 1 to 15728640");
    ResolveResult big =
        Resolve.json("{\"feature\": {\"fs\": {\"readonly_file_buffer\": 2000000}}}");
    assertTrue(big.ok());
    assertTrue(
        big.warnings().stream().anyMatch(w -> w.contains("feature.fs.readonly_file_buffer")),
        big.warnings().toString());
    Resolve.error(
        Resolve.json("{\"feature\": {\"fs\": {\"mapping\": {\"a\": 1}}}}"),
        "feature.fs.mapping.a",
        "expected a string");
  }

  @Test
  void envFileAndEnvMapping() {
    MirrordConfig c =
        Resolve.okJson(
            "{\"feature\": {\"env\": {\"env_file\": \"local.env\", \"mapping\": {\".+_TIMEOUT\": \"1\"}}}}");
    assertEquals(Optional.of("local.env"), c.feature().env().envFile());
    assertEquals(Map.of(".+_TIMEOUT", "1"), c.feature().env().mapping());
    ResolveResult r =
        Resolve.json("{\"feature\": {\"env\": {\"env_file\": 3, \"mapping\": {\"[\": \"v\"}}}}");
    Resolve.error(r, "feature.env.env_file", "expected a string");
    assertEquals("[", Resolve.error(r, "feature.env.mapping.[", "").value());
    Resolve.error(
        Resolve.json("{\"feature\": {\"env\": {\"env_file\": \"\"}}}"),
        "feature.env.env_file",
        "expected the path of a dotenv file");
  }

  @Test
  void theSchemaDescribesTheNewFieldsAndNestsFiltersByReference() {
    JsonNode schema = new ObjectMapper().valueToTree(ConfigSchema.generate());
    JsonNode http =
        schema.at("/properties/feature/anyOf/0/properties/network/anyOf/0/properties/incoming");
    String text = schema.toString();
    for (String field :
        List.of(
            "method_filter",
            "body_filter",
            "all_of",
            "any_of",
            "max_body_buffer_size",
            "max_body_buffer_timeout",
            "readonly_file_buffer",
            "env_file")) {
      assertTrue(text.contains("\"" + field + "\""), field + " in the schema");
    }
    assertTrue(text.contains("#/definitions/HttpInnerFilter"), "nested filters by reference");
    assertTrue(
        schema.at("/definitions/HttpInnerFilter/properties/header").isObject(), http.toString());
  }

  @Test
  void jsonPathSelectsLikeRfc9535() throws InvalidJsonPathException {
    JsonNode doc =
        new ObjectMapper()
            .valueToTree(
                Map.of(
                    "store",
                    Map.of("book", List.of(Map.of("p", 1), Map.of("p", 2), Map.of("p", 3)))));
    assertEquals("[1]", JsonPath.compile("$.store.book[0].p").select(doc).toString());
    assertEquals("[3]", JsonPath.compile("$['store'][\"book\"][-1].p").select(doc).toString());
    assertEquals("[1, 2, 3]", JsonPath.compile("$..p").select(doc).toString());
    assertEquals("[2, 3]", JsonPath.compile("$.store.book[1:].p").select(doc).toString());
    assertEquals("[3, 1]", JsonPath.compile("$.store.book[2,0].p").select(doc).toString());
    assertEquals("[3, 2, 1]", JsonPath.compile("$.store.book[::-1].p").select(doc).toString());
    assertEquals("[]", JsonPath.compile("$.nothing.here").select(doc).toString());
  }

  @Test
  void regexReplacementUsesCaptureGroupsLikeMirrord() throws Exception {
    FancyRegex r = FancyRegex.compile("^/home/(?<user>\\S+?)/dev/config/(?<app>\\w+)");
    assertEquals(
        "/mnt/configs/jo-api/app.conf",
        r.replaceFirst("/home/jo/dev/config/api/app.conf", "/mnt/configs/${user}-$app"));
    assertEquals("/x/2$", FancyRegex.compile("(\\d)").replaceFirst("/x/1", "2$$"));
    assertEquals("unchanged", FancyRegex.compile("zzz").replaceFirst("unchanged", "$1"));
  }
}
