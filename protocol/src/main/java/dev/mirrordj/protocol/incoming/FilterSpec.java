package dev.mirrordj.protocol.incoming;

import dev.mirrordj.protocol.ProtocolException;
import dev.mirrordj.protocol.WireReader;
import dev.mirrordj.protocol.WireWriter;
import java.util.List;

/**
 * An HTTP request filter as it travels in {@link Incoming.Subscribe}: a tree of header, path,
 * method and JSON body filters combined by all-of / any-of nodes. Encoded as a kind byte followed
 * by that kind's fields; composites carry a counted list of children. The agent compiles it; the
 * patterns are not checked here.
 */
public sealed interface FilterSpec {

  int HEADER = 1;
  int PATH = 2;
  int METHOD = 3;
  int JSON_BODY = 4;
  int ALL_OF = 5;
  int ANY_OF = 6;

  /** Deepest nesting accepted on decode, so a hostile frame cannot exhaust the stack. */
  int MAX_DEPTH = 16;

  void encode(WireWriter w);

  /** Regex on each {@code name: value} header line. */
  record Header(String regex) implements FilterSpec {
    public void encode(WireWriter w) {
      w.u8(HEADER).string(regex);
    }
  }

  /** Regex on the path, then on path?query. */
  record Path(String regex) implements FilterSpec {
    public void encode(WireWriter w) {
      w.u8(PATH).string(regex);
    }
  }

  /** The request method, case-insensitively. */
  record Method(String method) implements FilterSpec {
    public void encode(WireWriter w) {
      w.u8(METHOD).string(method);
    }
  }

  /** A JSONPath query on the JSON body and a regex one selected value must match. */
  record JsonBody(String query, String matches) implements FilterSpec {
    public void encode(WireWriter w) {
      w.u8(JSON_BODY).string(query).string(matches);
    }
  }

  /** Every child must match. */
  record AllOf(List<FilterSpec> filters) implements FilterSpec {
    public AllOf {
      filters = List.copyOf(filters);
    }

    public void encode(WireWriter w) {
      w.u8(ALL_OF).i32(filters.size());
      filters.forEach(f -> f.encode(w));
    }
  }

  /** At least one child must match. */
  record AnyOf(List<FilterSpec> filters) implements FilterSpec {
    public AnyOf {
      filters = List.copyOf(filters);
    }

    public void encode(WireWriter w) {
      w.u8(ANY_OF).i32(filters.size());
      filters.forEach(f -> f.encode(w));
    }
  }

  static FilterSpec decode(WireReader r) {
    return decode(r, 0);
  }

  private static FilterSpec decode(WireReader r, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ProtocolException("HTTP filter nested deeper than " + MAX_DEPTH);
    }
    int kind = r.u8();
    return switch (kind) {
      case HEADER -> new Header(r.string());
      case PATH -> new Path(r.string());
      case METHOD -> new Method(r.string());
      case JSON_BODY -> new JsonBody(r.string(), r.string());
      case ALL_OF -> new AllOf(r.list(x -> decode(x, depth + 1)));
      case ANY_OF -> new AnyOf(r.list(x -> decode(x, depth + 1)));
      default -> throw new ProtocolException("unknown HTTP filter kind " + kind);
    };
  }
}
