package dev.mirrordj.config.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FancyRegexTest {

  private static boolean find(String pattern, String input) throws InvalidRegexException {
    return FancyRegex.compile(pattern).find(input);
  }

  @Test
  void mirrordHeaderFilterExampleSkipsKubeProbes() throws Exception {
    FancyRegex re = FancyRegex.compile("^User-Agent: (?!kube-probe)");
    // mirrord matches against "lowercase-name: value"
    assertTrue(re.find("user-agent: curl/8.0"));
    assertFalse(re.find("user-agent: kube-probe/1.29"));
    assertFalse(re.find("accept: */*"));
  }

  @Test
  void mirrordPathFilterExampleSkipsHealth() throws Exception {
    FancyRegex re = FancyRegex.compile("^(?!/health/)");
    assertTrue(re.find("/api/v1/users"));
    assertFalse(re.find("/health/live"));
    assertFalse(re.find("/HEALTH/ready"), "case-insensitive like mirrord's (?i) prefix");
  }

  @Test
  void mirrordHostHeaderExample() throws Exception {
    FancyRegex re = FancyRegex.compile("host: api\\..+");
    assertTrue(re.find("host: api.example.com"));
    assertTrue(re.find("Host: API.example.com"));
    assertFalse(re.find("host: www.example.com"));
    assertFalse(re.find("host: api."), "'.+' needs at least one character after the dot");
  }

  @Test
  void searchIsUnanchored() throws Exception {
    assertTrue(find("api", "/v1/api/x"));
    assertFalse(find("^api", "/v1/api/x"));
  }

  @Test
  void caseInsensitivityIsUnicode() throws Exception {
    assertTrue(find("café", "CAFÉ"));
    assertTrue(find("\\w+é", "ÉÉÉ"));
  }

  @Test
  void pythonStyleNamedGroupsAndBackReferences() throws Exception {
    assertTrue(find("(?P<word>ab)-(?P=word)", "xx ab-AB yy"));
    assertFalse(find("(?P<word>ab)-(?P=word)", "ab-cd"));
    assertTrue(find("(?P<my_name>x)\\k<my_name>", "xx"), "underscores in group names are allowed");
    assertTrue(find("(?<n>q)\\k<n>", "qq"));
  }

  @Test
  void backslashHIsHexDigit() throws Exception {
    assertTrue(find("^\\h+$", "deadBEEF09"));
    assertFalse(find("^\\h+$", "dead beef"), "in Java \\h would be horizontal whitespace");
    assertTrue(find("^\\H$", "g"));
    assertTrue(find("^[\\h-]+$", "ab-12"));
  }

  @Test
  void dollarIsEndOfTextUnlessMultiline() throws Exception {
    assertFalse(find("abc$", "abc\n"), "fancy-regex $ does not match before a final newline");
    assertTrue(find("abc$", "abc"));
    assertTrue(find("(?m)abc$", "abc\nxyz"));
    assertTrue(find("[$]", "a$b"), "a '$' inside a class is a literal");
  }

  @Test
  void swapGreedFlag() throws Exception {
    FancyRegex lazy = FancyRegex.compile("(?U)a+");
    assertEquals("a+?", lazy.javaPattern());
    assertEquals("a+", FancyRegex.compile("(?U)a+?").javaPattern());
    assertEquals("(?i:a*?)b*", FancyRegex.compile("(?iU:a*)b*").javaPattern());
    assertEquals("x{2,3}?", FancyRegex.compile("(?U)x{2,3}").javaPattern());
  }

  @Test
  void classSubtraction() throws Exception {
    assertTrue(find("^[a-z--[aeiou]]+$", "bcd"));
    assertFalse(find("^[a-z--[aeiou]]+$", "bad"), "Java would read '--' as a union");
    assertTrue(find("^[0-9--4]$", "5"));
    assertFalse(find("^[0-9--4]$", "4"));
  }

  @Test
  void posixClassesAndScripts() throws Exception {
    assertTrue(find("^[[:digit:]]+$", "123"));
    assertFalse(find("^[[:digit:]]+$", "12a"));
    assertTrue(find("\\p{Greek}", "αβγ"));
    assertFalse(find("\\P{Greek}", "αβγ"));
    assertTrue(find("\\p{L}", "x"));
  }

  @Test
  void dotMatchesCarriageReturnLikeRust() throws Exception {
    assertTrue(find("a.b", "a\rb"));
    assertFalse(find("a.b", "a\nb"));
  }

  @Test
  void rejectsKeepOutWithAdvice() {
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("foo\\Kbar"));
    assertTrue(e.getMessage().contains("\\K"), e.getMessage());
    assertTrue(e.getMessage().contains("lookbehind"), e.getMessage());
  }

  @Test
  void rejectsConditionalsWithAdvice() {
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("(a)?(?(1)b|c)"));
    assertTrue(e.getMessage().contains("conditional"), e.getMessage());
  }

  @Test
  void rejectsSyntaxErrorsNamingThePattern() {
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("(unclosed"));
    assertTrue(e.getMessage().contains("'(unclosed'"), e.getMessage());
    assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("[abc"));
    assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("a)"));
    assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("*a"));
    assertThrows(InvalidRegexException.class, () -> FancyRegex.compile("(?-u)a"));
  }

  @Test
  void lookaroundsAtomicAndPossessiveWork() throws Exception {
    assertTrue(find("(?<=/api)/v1", "/api/v1"));
    assertFalse(find("(?<!/api)/v1", "/api/v1"));
    assertFalse(find("(?>a+)a", "aaaa"));
    assertFalse(find("a++a", "aaaa"));
  }

  @Test
  void runawayMatchReturnsFalseInsteadOfHanging() throws Exception {
    // Catastrophic in a backtracking engine: exponential in the input length.
    FancyRegex evil = FancyRegex.compile("(.*a){12}x");
    assertFalse(evil.find("a".repeat(60)));
    // The same regex still works on input it can decide within the budget.
    assertTrue(evil.find("a".repeat(12) + "x"));
  }

  @Test
  void budgetIsConfigurable() throws Exception {
    FancyRegex tiny = FancyRegex.compile("b", 3);
    assertFalse(tiny.find("aaaaab"), "budget of 3 reads cannot reach the 6th character");
    assertTrue(FancyRegex.compile("b", 100).find("aaaaab"));
  }
}
