package dev.mirrordj.agent.incoming.filter;

import dev.mirrordj.config.jsonpath.InvalidJsonPathException;
import dev.mirrordj.config.jsonpath.JsonPath;
import dev.mirrordj.protocol.incoming.FilterSpec;
import dev.mirrordj.protocol.incoming.Incoming;
import java.time.Duration;
import java.util.List;

/** Builds the agent's {@link HttpFilter} from a subscription as it arrived on the wire. */
public final class FilterCompiler {
  private FilterCompiler() {}

  /**
   * The subscription's filter, or null for an unfiltered steal.
   *
   * @throws IllegalArgumentException naming the bad pattern, query or method
   */
  public static HttpFilter compile(Incoming.Subscribe s) {
    FilterRegex header =
        s.headerFilter().isEmpty() ? null : FancyFilterRegex.compile(s.headerFilter());
    FilterRegex path = s.pathFilter().isEmpty() ? null : FancyFilterRegex.compile(s.pathFilter());
    HttpFilter plain = HttpFilter.headerAndPath(header, path, s.matchAll());
    if (s.filter() == null) {
      return plain;
    }
    FilterNode tree = node(s.filter());
    if (plain != null) {
      // both forms set: the strings and the tree must all hold
      tree = new FilterNode.AllOf(List.of(plain.root(), tree));
    }
    return new HttpFilter(tree, s.maxBodyBytes(), Duration.ofMillis(s.bodyTimeoutMillis()));
  }

  static FilterNode node(FilterSpec spec) {
    if (spec instanceof FilterSpec.Header h) {
      return new FilterNode.Header(FancyFilterRegex.compile(h.regex()));
    }
    if (spec instanceof FilterSpec.Path p) {
      return new FilterNode.Path(FancyFilterRegex.compile(p.regex()));
    }
    if (spec instanceof FilterSpec.Method m) {
      if (m.method().isEmpty()) {
        throw new IllegalArgumentException("empty HTTP method filter");
      }
      return new FilterNode.Method(m.method());
    }
    if (spec instanceof FilterSpec.JsonBody b) {
      try {
        return new FilterNode.JsonBody(
            JsonPath.compile(b.query()), FancyFilterRegex.compile(b.matches()));
      } catch (InvalidJsonPathException e) {
        throw new IllegalArgumentException(
            "invalid JSONPath `" + b.query() + "` " + e.getMessage(), e);
      }
    }
    if (spec instanceof FilterSpec.AllOf a) {
      return new FilterNode.AllOf(children(a.filters()));
    }
    if (spec instanceof FilterSpec.AnyOf a) {
      return new FilterNode.AnyOf(children(a.filters()));
    }
    throw new IllegalArgumentException("unknown HTTP filter " + spec);
  }

  private static List<FilterNode> children(List<FilterSpec> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("a composite HTTP filter needs at least one filter");
    }
    return specs.stream().map(FilterCompiler::node).toList();
  }
}
