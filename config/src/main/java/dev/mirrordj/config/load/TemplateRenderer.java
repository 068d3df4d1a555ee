package dev.mirrordj.config.load;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a configuration file as a template before it is parsed, compatible with mirrord's Tera
 * usage: no HTML escaping, no newline trimming, undefined variables are errors, {@code get_env}
 * reads the given environment. The context holds {@code git_branch} when {@code
 * MIRRORD_BRANCH_NAME} is set (otherwise it is undefined, so {@code default(value=...)} applies).
 */
public final class TemplateRenderer {
  private final Map<String, String> env;
  private final PebbleEngine engine;

  public TemplateRenderer(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.engine =
        new PebbleEngine.Builder()
            .loader(new StringLoader())
            .autoEscaping(false)
            .newLineTrimming(false)
            .strictVariables(true)
            .cacheActive(false)
            .extension(new TeraCompat(this.env))
            .build();
  }

  /** Renders {@code text}; a syntax or evaluation error names the line. */
  public String render(String text) throws TemplateException {
    if (!text.contains("{{") && !text.contains("{%") && !text.contains("{#")) {
      return text; // nothing to render; avoids surprises from plain JSON
    }
    Map<String, Object> context = new HashMap<>();
    String branch = env.get("MIRRORD_BRANCH_NAME");
    if (branch != null) {
      context.put("git_branch", branch);
    }
    try {
      PebbleTemplate template = engine.getTemplate(text);
      StringWriter out = new StringWriter();
      template.evaluate(out, context);
      return out.toString();
    } catch (PebbleException e) {
      String where = e.getLineNumber() == null ? "" : " at line " + e.getLineNumber();
      throw new TemplateException("template error" + where + ": " + e.getPebbleMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new TemplateException("template error: " + e.getMessage(), e);
    }
  }
}
