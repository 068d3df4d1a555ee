package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and truncated documents never make the loader throw; an invalid document always yields at
 * least one error, and every error has a path (empty = the document itself) and a message.
 */
class LoaderFuzzTest {
  private static final String[] TOKENS = {
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"target\"",
    "\"feature\"",
    "\"agent\"",
    "\"network\"",
    "\"incoming\"",
    "\"mode\"",
    "\"steal\"",
    "\"pod/x\"",
    "true",
    "false",
    "null",
    "1",
    "-5",
    "70000",
    "\"{{\"",
    "\"}}\"",
    "{{ get_env(name=\"X\") }}",
    "{%",
    "\"ttl\"",
    "\"fs\"",
    "\"http_filter\"",
    "\"header_filter\"",
    "\"(?P<a>\"",
    "\"port_mapping\"",
    "[[1,1]]",
    "\"\\u0000\"",
    "1e400",
    "\"copy_target\""
  };

  private static void check(String doc) {
    ResolveResult r = Resolve.json(doc, Map.of(), Map.of(), false);
    assertNotNull(r);
    if (!r.ok()) {
      assertFalse(r.errors().isEmpty());
      r.errors()
          .forEach(
              e -> {
                assertNotNull(e.path(), doc);
                assertTrue(e.message() != null && !e.message().isBlank(), doc);
              });
    } else {
      assertTrue(r.config().isPresent());
    }
  }

  @Test
  void truncatedCompleteExample() throws IOException {
    String complete = Files.readString(Resolve.resource("complete.json"));
    int invalid = 0;
    for (int cut = 0; cut < complete.length(); cut += 3) {
      String doc = complete.substring(0, cut);
      check(doc);
      if (!Resolve.json(doc, Map.of(), Map.of(), false).ok()) {
        invalid++;
      }
    }
    assertTrue(
        invalid > complete.length() / 4, "most truncations are invalid and must be reported");
  }

  @Test
  void randomTokenSoup() {
    Random random = new Random(20261128L);
    for (int i = 0; i < 3000; i++) {
      StringBuilder doc = new StringBuilder();
      int n = 1 + random.nextInt(30);
      for (int j = 0; j < n; j++) {
        doc.append(TOKENS[random.nextInt(TOKENS.length)]);
      }
      check(doc.toString());
    }
  }

  @Test
  void randomMutationsOfValidDocuments() throws IOException {
    String complete = Files.readString(Resolve.resource("complete.json"));
    Random random = new Random(7L);
    for (int i = 0; i < 1500; i++) {
      char[] chars = complete.toCharArray();
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
      }
      check(new String(chars));
    }
  }

  @Test
  void randomBytesInYamlAndToml() {
    Random random = new Random(99L);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      random.nextBytes(bytes);
      String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      for (var format : dev.mirrordj.config.load.ConfigFormat.values()) {
        ResolveResult r =
            ConfigResolver.resolve(
                new ConfigSource.Text(text, format, "<fuzz>"), Map.of(), Map.of(), false);
        assertNotNull(r);
        r.errors().forEach(e -> assertNotNull(e.path()));
      }
    }
  }
}
