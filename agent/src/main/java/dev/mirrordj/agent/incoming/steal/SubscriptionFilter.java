package dev.mirrordj.agent.incoming.steal;

import dev.mirrordj.agent.incoming.filter.FancyFilterRegex;
import dev.mirrordj.agent.incoming.filter.FilterRegex;
import dev.mirrordj.agent.incoming.filter.HttpFilter;

/** Turns the filter fields of a steal subscription into an {@link HttpFilter}. */
public final class SubscriptionFilter {
  private SubscriptionFilter() {}

  /**
   * @return null when both patterns are empty (an unfiltered steal takes the whole port)
   * @throws IllegalArgumentException for a pattern that does not compile
   */
  public static HttpFilter compile(String headerFilter, String pathFilter, boolean matchAll) {
    FilterRegex header = headerFilter.isEmpty() ? null : FancyFilterRegex.compile(headerFilter);
    FilterRegex path = pathFilter.isEmpty() ? null : FancyFilterRegex.compile(pathFilter);
    return header == null && path == null ? null : new HttpFilter(header, path, matchAll);
  }
}
