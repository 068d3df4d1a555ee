package dev.mirrordj.agent.incoming.filter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A steal subscription's request filter: a {@link FilterNode} tree and, for body filters, how much
 * of a body may be held back and for how long before deciding. Past either limit the body counts as
 * unavailable, so body filters do not match and the request goes on unchanged.
 *
 * @param root the filter tree
 * @param maxBodyBytes body bytes that may be buffered to run body filters
 * @param bodyTimeout how long to wait for a body to run body filters
 */
public record HttpFilter(FilterNode root, long maxBodyBytes, Duration bodyTimeout) {

  /** Limits of the configuration's defaults (agent.max_body_buffer_size / _timeout). */
  public static final long DEFAULT_MAX_BODY_BYTES = 65535;

  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofMillis(1000);

  public static HttpFilter of(FilterNode root) {
    return new HttpFilter(root, DEFAULT_MAX_BODY_BYTES, DEFAULT_BODY_TIMEOUT);
  }

  public static HttpFilter header(FilterRegex regex) {
    return of(new FilterNode.Header(regex));
  }

  public static HttpFilter path(FilterRegex regex) {
    return of(new FilterNode.Path(regex));
  }

  /**
   * The original two-regex filter: either may be null; with both, {@code all} decides whether both
   * or either must match. Null when neither is set.
   */
  public static HttpFilter headerAndPath(FilterRegex header, FilterRegex path, boolean all) {
    List<FilterNode> parts = new ArrayList<>();
    if (header != null) {
      parts.add(new FilterNode.Header(header));
    }
    if (path != null) {
      parts.add(new FilterNode.Path(path));
    }
    if (parts.isEmpty()) {
      return null;
    }
    if (parts.size() == 1) {
      return of(parts.get(0));
    }
    return of(all ? new FilterNode.AllOf(parts) : new FilterNode.AnyOf(parts));
  }

  public boolean needsBody() {
    return root.needsBody();
  }

  /** Decides without the body (body filters false). */
  public boolean matches(RequestView request) {
    return root.matches(request, RequestBody.UNAVAILABLE);
  }

  /** Decides with what is known of the body ({@link RequestBody#UNAVAILABLE} past the limits). */
  public boolean matches(RequestView request, RequestBody body) {
    return root.matches(request, body);
  }
}
