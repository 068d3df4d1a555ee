package dev.mirrordj.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mirrordj.config.bind.RecordBinder;
import dev.mirrordj.config.bind.TreeNormalizer;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.config.load.EnvOverrides;
import dev.mirrordj.config.load.TemplateException;
import dev.mirrordj.config.load.TemplateRenderer;
import dev.mirrordj.config.validate.ConfigValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one way a configuration is resolved, used by the CLI and the config verticle alike: read the
 * document, render it as a template, parse it by format, expand shortened forms, apply the
 * MIRRORD_* environment and then the command-line overrides (CLI beats env beats file beats
 * default), bind it to {@link MirrordConfig}, and validate. Each stage is also public so that the
 * config verticle can run them as vertx-config stores and a processor. Never throws for bad input.
 */
public final class ConfigResolver {
  /** The variable naming the configuration file when no {@code -f} is given. */
  public static final String CONFIG_FILE_VARIABLE = "MIRRORD_CONFIG_FILE";

  private ConfigResolver() {}

  /**
   * Resolves a configuration.
   *
   * @param source the document (or none)
   * @param env the process environment (MIRRORD_* overrides, template get_env)
   * @param cliOverrides command-line flags as MIRRORD_* variables (see {@link EnvOverrides})
   * @param ide allow a missing target (an IDE asks the user for one)
   */
  public static ResolveResult resolve(
      ConfigSource source, Map<String, String> env, Map<String, String> cliOverrides, boolean ide) {
    Problems problems = new Problems();
    ObjectNode tree = loadDocument(effectiveSource(source, env), env, problems);
    return finish(tree, env, cliOverrides, ide, problems);
  }

  /** A missing {@code -f} falls back to {@code MIRRORD_CONFIG_FILE}. */
  public static ConfigSource effectiveSource(ConfigSource source, Map<String, String> env) {
    if (source instanceof ConfigSource.None
        && env.get(CONFIG_FILE_VARIABLE) != null
        && !env.get(CONFIG_FILE_VARIABLE).isBlank()) {
      return ConfigSource.file(Path.of(env.get(CONFIG_FILE_VARIABLE)));
    }
    return source;
  }

  /** Stage 1: read, render and parse the document into an expanded tree (empty on error). */
  public static ObjectNode loadDocument(
      ConfigSource source, Map<String, String> env, Problems problems) {
    JsonNode parsed = JsonNodeFactory.instance.objectNode();
    try {
      if (source instanceof ConfigSource.File f) {
        ConfigFormat format = ConfigFormat.of(f.path());
        String text = Files.readString(f.path(), StandardCharsets.UTF_8);
        parsed = format.parse(new TemplateRenderer(env).render(text));
      } else if (source instanceof ConfigSource.Text t) {
        parsed = t.format().parse(new TemplateRenderer(env).render(t.text()));
      }
    } catch (IOException e) {
      problems.error(
          "",
          ((ConfigSource.File) source).path().toString(),
          "cannot read the configuration file: " + ReadFailure.describe(e));
    } catch (ConfigFormat.UnsupportedFormatException
        | ConfigFormat.ParseException
        | TemplateException e) {
      problems.error("", origin(source), e.getMessage());
    }
    if (!parsed.isObject()) {
      problems.error(
          "", parsed, "the configuration must be an object (a JSON/YAML mapping or TOML table)");
      return JsonNodeFactory.instance.objectNode();
    }
    return (ObjectNode) TreeNormalizer.normalize(MirrordConfig.class, parsed);
  }

  /** Stages 2-4 on an expanded tree: overrides, binding, validation. */
  public static ResolveResult finish(
      ObjectNode tree,
      Map<String, String> env,
      Map<String, String> cliOverrides,
      boolean ide,
      Problems problems) {
    ObjectNode merged = tree.deepCopy();
    Map<String, JsonNode> fromEnv = EnvOverrides.leaves(env, problems);
    Map<String, JsonNode> fromCli = EnvOverrides.leaves(cliOverrides, problems);
    EnvOverrides.apply(merged, fromEnv);
    EnvOverrides.apply(merged, fromCli);
    int checkedFrom = problems.errors().size(); // errors before this already name their variable
    return new OverrideOrigins(fromEnv, fromCli)
        .annotate(bindAndValidate(merged, ide, problems), checkedFrom);
  }

  /** Binds an expanded, overridden tree and validates it. */
  public static ResolveResult bindAndValidate(JsonNode tree, boolean ide, Problems problems) {
    MirrordConfig config =
        new RecordBinder(problems)
            .bindRecord(
                MirrordConfig.class, TreeNormalizer.normalize(MirrordConfig.class, tree), "");
    // Fields that failed to bind hold their defaults; the validator skips rules that depend on
    // them,
    // so conflicts elsewhere are still reported in the same run.
    new ConfigValidator(problems, ide).validate(config);
    return new ResolveResult(
        problems.hasErrors() ? Optional.empty() : Optional.of(config),
        problems.warnings(),
        problems.errors());
  }

  private static String origin(ConfigSource source) {
    if (source instanceof ConfigSource.File f) {
      return f.path().toString();
    }
    return source instanceof ConfigSource.Text t ? t.origin() : null;
  }
}
