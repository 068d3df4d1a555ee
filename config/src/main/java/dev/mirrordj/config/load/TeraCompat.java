package dev.mirrordj.config.load;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.core.DefaultFilter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Map;

/**
 * The Tera built-ins mirrord configurations use, for Pebble: {@code get_env(name=..., default=...)}
 * with Tera's semantics (an empty variable is returned as "", a missing one without default fails
 * with "Environment variable `X` not found"), and the {@code default} filter accepting Tera's
 * {@code default(value=...)} as well as Pebble's {@code default(...)}.
 */
final class TeraCompat extends AbstractExtension {
  private final Map<String, String> env;

  TeraCompat(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Map<String, Function> getFunctions() {
    return Map.of("get_env", new GetEnv());
  }

  @Override
  public Map<String, Filter> getFilters() {
    return Map.of("default", new TeraDefault());
  }

  private final class GetEnv implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of("name", "default");
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
      Object name = args.get("name");
      if (!(name instanceof String s)) {
        throw new PebbleException(
            null, "`get_env` requires a string argument `name`", line, self.getName());
      }
      String value = env.get(s);
      if (value != null) {
        return value;
      }
      if (args.containsKey("default")) {
        return args.get("default");
      }
      throw new PebbleException(
          null, "Environment variable `" + s + "` not found", line, self.getName());
    }
  }

  /** Pebble only lets undefined variables through to a filter that is a {@link DefaultFilter}. */
  private static final class TeraDefault extends DefaultFilter {
    @Override
    public List<String> getArgumentNames() {
      return List.of("value", "default");
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext ctx,
        int line)
        throws PebbleException {
      Object fallback = args.containsKey("value") ? args.get("value") : args.get("default");
      return input == null ? fallback : input;
    }
  }
}
