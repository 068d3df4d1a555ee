package dev.mirrordj.agent.incoming.filter;

/**
 * A compiled filter regex with mirrord's semantics: case-insensitive, unanchored search, and any
 * failure (including an exhausted backtracking budget) counting as "no match".
 */
public interface FilterRegex {

  boolean find(CharSequence input);

  /** The pattern as the user wrote it. */
  String source();
}
