package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvFilterTest {

  @Test
  void noIncludeMeansEverythingButDefaultExclusions() {
    EnvFilter f = new EnvFilter(null, null);
    assertTrue(f.allows("DATABASE_URL"));
    assertFalse(f.allows("PATH"));
    assertFalse(f.allows("HOME"));
    assertFalse(f.allows("JAVA_HOME"));
  }

  @Test
  void wildcards() {
    EnvFilter f = new EnvFilter(List.of("MY_APP_*", "DB_?"), null);
    assertTrue(f.allows("MY_APP_"));
    assertTrue(f.allows("MY_APP_PORT"));
    assertTrue(f.allows("DB_1"));
    assertFalse(f.allows("DB_12"));
    assertFalse(f.allows("XMY_APP_PORT"), "patterns match the whole name");
    assertFalse(f.allows("OTHER"));
  }

  @Test
  void excludeWins() {
    EnvFilter f = new EnvFilter(List.of("*"), List.of("SECRET_*"));
    assertTrue(f.allows("PUBLIC"));
    assertFalse(f.allows("SECRET_KEY"));
    EnvFilter only = new EnvFilter(null, List.of("A.B"));
    assertFalse(only.allows("A.B"));
    assertTrue(only.allows("AxB"), "'.' is literal, not a regex");
  }

  @Test
  void defaultExclusionsNeedALiteralInclude() {
    assertTrue(new EnvFilter(List.of("PATH"), null).allows("PATH"));
    assertFalse(new EnvFilter(List.of("*"), null).allows("PATH"));
    assertFalse(new EnvFilter(List.of("PA*"), null).allows("PATH"));
  }

  @Test
  void splitsSemicolonLists() {
    assertTrue(EnvFilter.split("A; B;;C").equals(List.of("A", "B", "C")));
  }
}
