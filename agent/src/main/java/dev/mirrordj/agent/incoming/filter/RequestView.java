package dev.mirrordj.agent.incoming.filter;

import java.util.List;
import java.util.Map;

/**
 * What a filter sees of a request before its body: the method, the target (path and query) and the
 * headers in arrival order (HTTP/2 pseudo-headers excluded).
 */
public record RequestView(String method, String target, List<Map.Entry<String, String>> headers) {}
