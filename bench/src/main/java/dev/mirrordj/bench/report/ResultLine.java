package dev.mirrordj.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured result: a benchmark id, who was measured (variant, and the build for ours), the
 * value in its unit and, where the benchmark has them, latency percentiles in µs.
 */
public record ResultLine(
    String id,
    String variant,
    String build,
    String unit,
    Double value,
    Map<Double, Double> percentiles,
    long errors,
    Double ratioVsDirect,
    Double ratioVsHaproxy,
    Map<String, String> machine) {

  /** "B1" for "B1.steal-h1.c16.m50". */
  public String benchmark() {
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }

  /** What a chart's legend calls it: the build for our variants, else the variant. */
  public String label() {
    return build == null || build.isEmpty() ? variant : variant + " " + build;
  }

  /**
   * Reads one JSON line of either format the benchmarks print: the product path's ({@code value},
   * {@code p50}, {@code p99}, ...) or the agent breakdown's ({@code P} and {@code S} side by side,
   * which become a "direct" and an "agent" line).
   */
  public static List<ResultLine> from(JsonNode n) {
    String id = text(n, "id");
    if (id == null) throw new IllegalArgumentException("a result line without an id: " + n);
    Map<String, String> machine = new LinkedHashMap<>();
    for (String k : List.of("kernel", "java", "cpus", "commit", "load_start", "load_end")) {
      if (n.hasNonNull(k)) machine.put(k, n.get(k).asText());
    }
    List<ResultLine> out = new ArrayList<>();
    if (n.has("value")) {
      Map<Double, Double> pct = new LinkedHashMap<>();
      put(pct, 50.0, number(n, "p50"));
      put(pct, 75.0, number(n, "p75"));
      put(pct, 90.0, number(n, "p90"));
      put(pct, 99.0, number(n, "p99"));
      put(pct, 99.9, number(n, "p999"));
      out.add(
          new ResultLine(
              id,
              textOr(n, "variant", "ours"),
              text(n, "build"),
              textOr(n, "unit", ""),
              number(n, "value"),
              pct,
              n.path("errors").asLong(0),
              number(n, "ratio_vs_direct"),
              number(n, "ratio_vs_haproxy"),
              machine));
    } else if (n.has("P") || n.has("S")) {
      String unit = textOr(n, "unit", "");
      String variant = textOr(n, "variant", "");
      String suffix = variant.isEmpty() ? "" : "." + variant;
      out.add(
          new ResultLine(
              id + suffix, "direct", null, unit, number(n, "P"), Map.of(), 0, null, null, machine));
      out.add(
          new ResultLine(
              id + suffix,
              "agent",
              null,
              unit,
              number(n, "S"),
              Map.of(),
              n.path("errors").asLong(0),
              number(n, "ratio_S_P"),
              null,
              machine));
    } else {
      throw new IllegalArgumentException("a result line with neither value nor P/S: " + n);
    }
    return out;
  }

  private static void put(Map<Double, Double> m, double k, Double v) {
    if (v != null && v > 0) m.put(k, v);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String textOr(JsonNode n, String field, String fallback) {
    String v = text(n, field);
    return v == null ? fallback : v;
  }

  private static Double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) return null;
    if (v.isNumber()) return v.asDouble();
    try {
      return Double.parseDouble(v.asText());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
