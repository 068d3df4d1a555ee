package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.load.TemplateException;
import dev.mirrordj.config.load.TemplateRenderer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tera-compatible templating with Pebble. */
class TemplateTest {
  private static String render(String t, Map<String, String> env) throws TemplateException {
    return new TemplateRenderer(env).render(t);
  }

  @Test
  void getEnvNamedAndPositionalWithDefaults() throws Exception {
    assertEquals("x=v", render("x={{ get_env(name=\"V\") }}", Map.of("V", "v")));
    assertEquals("x=fb", render("x={{ get_env(name=\"NOPE\", default=\"fb\") }}", Map.of()));
    assertEquals("x=fb", render("x={{ get_env('NOPE', 'fb') }}", Map.of()));
    assertEquals(
        "x=",
        render("x={{ get_env(name=\"EMPTY\", default=\"fb\") }}", Map.of("EMPTY", "")),
        "an empty variable is returned as is, like Tera");
  }

  @Test
  void missingVariableWithoutDefaultNamesItAndTheLine() {
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> render("{\n  \"target\": \"{{ get_env(name=\"TARGET\") }}\"\n}", Map.of()));
    assertTrue(e.getMessage().contains("Environment variable `TARGET` not found"), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void noHtmlEscapingAndNoNewlineTrimming() throws Exception {
    assertEquals("a\"b<c>&", render("{{ get_env(name=\"Q\") }}", Map.of("Q", "a\"b<c>&")));
    assertEquals(
        "{% if true %}x{% endif %}\ny".replaceAll("\\{%.*?%\\}", ""),
        render("{% if true %}x{% endif %}\ny", Map.of()));
  }

  @Test
  void strictVariablesAndTeraDefaultFilter() throws Exception {
    TemplateException e =
        assertThrows(TemplateException.class, () -> render("a\nb {{ nope }}", Map.of()));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertEquals("main", render("{{ git_branch | default(value=\"main\") }}", Map.of()));
    assertEquals(
        "dev",
        render("{{ git_branch | default(value=\"main\") }}", Map.of("MIRRORD_BRANCH_NAME", "dev")));
    assertEquals("main", render("{{ git_branch | default(\"main\") }}", Map.of()));
  }

  @Test
  void syntaxErrorNamesTheLine() {
    TemplateException e =
        assertThrows(
            TemplateException.class, () -> render("{\n\n {{ get_env(name= }}\n}", Map.of()));
    assertTrue(e.getMessage().startsWith("template error at line 3"), e.getMessage());
  }

  @Test
  void templateErrorsAreConfigErrors() {
    ResolveResult r =
        Resolve.json(
            "{\"target\": \"{{ get_env(name='MISSING_T') }}\"}", Map.of(), Map.of(), false);
    Resolve.error(r, "", "Environment variable `MISSING_T` not found");
  }
}
