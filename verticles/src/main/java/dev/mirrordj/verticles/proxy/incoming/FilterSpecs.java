package dev.mirrordj.verticles.proxy.incoming;

import dev.mirrordj.config.HttpFilterConfig;
import dev.mirrordj.config.HttpInnerFilter;
import dev.mirrordj.protocol.incoming.FilterSpec;
import java.util.List;

/**
 * Turns {@code http_filter} into the wire's filter tree. A lone header or path filter stays in the
 * subscription's original string fields (no tree), so those configurations are sent exactly as
 * before; method, body and composite filters become a tree.
 */
final class FilterSpecs {
  private FilterSpecs() {}

  /** The tree for the configured filter, or null when none is needed. */
  static FilterSpec tree(HttpFilterConfig http) {
    if (http.methodFilter().isPresent()) {
      return new FilterSpec.Method(http.methodFilter().get());
    }
    if (http.bodyFilter().isPresent()) {
      return new FilterSpec.JsonBody(
          http.bodyFilter().get().query(), http.bodyFilter().get().matches());
    }
    if (http.allOf().isPresent()) {
      return new FilterSpec.AllOf(inner(http.allOf().get()));
    }
    if (http.anyOf().isPresent()) {
      return new FilterSpec.AnyOf(inner(http.anyOf().get()));
    }
    return null;
  }

  private static List<FilterSpec> inner(List<HttpInnerFilter> filters) {
    return filters.stream().map(FilterSpecs::inner).toList();
  }

  private static FilterSpec inner(HttpInnerFilter f) {
    if (f.header().isPresent()) {
      return new FilterSpec.Header(f.header().get());
    }
    if (f.path().isPresent()) {
      return new FilterSpec.Path(f.path().get());
    }
    if (f.method().isPresent()) {
      return new FilterSpec.Method(f.method().get());
    }
    if (f.allOf().isPresent()) {
      return new FilterSpec.AllOf(inner(f.allOf().get()));
    }
    if (f.anyOf().isPresent()) {
      return new FilterSpec.AnyOf(inner(f.anyOf().get()));
    }
    // validation guarantees a body entry has its query and regex
    return new FilterSpec.JsonBody(f.query().orElse(""), f.matches().orElse(""));
  }
}
