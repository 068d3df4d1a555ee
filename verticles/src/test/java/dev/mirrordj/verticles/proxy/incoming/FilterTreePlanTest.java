package dev.mirrordj.verticles.proxy.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** http_filter's new kinds become the subscription's filter tree; old kinds stay strings. */
class FilterTreePlanTest {

  private static Incoming.Subscribe planFor(String httpFilter, String agent) throws Exception {
    MirrordConfig c =
        ConfigResolver.resolve(
                new ConfigSource.Text(
                    "{\"target\": \"pod/p\", \"agent\": "
                        + agent
                        + ", \"feature\": {\"network\": {\"incoming\": {\"mode\": \"steal\","
                        + " \"http_filter\": "
                        + httpFilter
                        + "}}}}",
                    ConfigFormat.JSON,
                    "<test>"),
                Map.of(),
                Map.of(),
                false)
            .config()
            .orElseThrow();
    return new SubscriptionPlan(IncomingSettings.from(c))
        .plan(InetAddress.getByName("0.0.0.0"), 8080)
        .orElseThrow();
  }

  @Test
  void compositeMethodAndBodyFiltersTravelAsATreeWithTheAgentsLimits() throws Exception {
    Incoming.Subscribe s =
        planFor(
            "{\"any_of\": [{\"all_of\": [{\"method\": \"POST\"}, {\"path\": \"^/api\"}]},"
                + " {\"header\": \"^x-a: 1$\"},"
                + " {\"body\": \"json\", \"query\": \"$.id\", \"matches\": \"^7$\"}]}",
            "{\"max_body_buffer_size\": 2048, \"max_body_buffer_timeout\": 300}");
    assertEquals(
        new FilterSpec.AnyOf(
            List.of(
                new FilterSpec.AllOf(
                    List.of(new FilterSpec.Method("POST"), new FilterSpec.Path("^/api"))),
                new FilterSpec.Header("^x-a: 1$"),
                new FilterSpec.JsonBody("$.id", "^7$"))),
        s.filter());
    assertEquals(2048, s.maxBodyBytes());
    assertEquals(300, s.bodyTimeoutMillis());
    assertEquals(Incoming.MODE_STEAL, s.mode());
    assertEquals(
        new FilterSpec.Method("DELETE"), planFor("{\"method_filter\": \"DELETE\"}", "{}").filter());
    assertEquals(
        new FilterSpec.JsonBody("$.a", "b"),
        planFor(
                "{\"body_filter\": {\"body\": \"json\", \"query\": \"$.a\", \"matches\": \"b\"}}",
                "{}")
            .filter());
  }

  @Test
  void aHeaderFilterAloneIsSentAsBefore() throws Exception {
    Incoming.Subscribe s = planFor("{\"header_filter\": \"^x-user: me$\"}", "{}");
    assertNull(s.filter());
    assertEquals("^x-user: me$", s.headerFilter());
    assertEquals(
        new Incoming.Subscribe(8080, Incoming.MODE_STEAL, "^x-user: me$", "", false, true), s);
  }
}
