package dev.mirrordj.agent.incoming.filter;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link FilterRegex} on java.util.regex: {@code CASE_INSENSITIVE | UNICODE_CASE} in place of
 * fancy-regex's {@code (?i)}, {@code find()} for search semantics, and a step budget (counted
 * character reads) standing in for fancy-regex's backtrack limit, so a catastrophic pattern costs
 * bounded time and yields "no match" (reference java-stack.md §2d). Used until the shared
 * fancy-regex translator ({@code dev.mirrordj.config.regex.FancyRegex}) is wired in.
 */
public final class BudgetedJavaRegex implements FilterRegex {

    /** Character reads allowed per match attempt; generous for real headers, bounded for bad patterns. */
    public static final long DEFAULT_BUDGET = 1_000_000;

    private final String source;
    private final Pattern pattern;
    private final long budget;

    private BudgetedJavaRegex(String source, Pattern pattern, long budget) {
        this.source = source;
        this.pattern = pattern;
        this.budget = budget;
    }

    /** @throws IllegalArgumentException naming the pattern and the problem when it does not compile */
    public static BudgetedJavaRegex compile(String source) {
        try {
            return new BudgetedJavaRegex(source,
                    Pattern.compile(source, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), DEFAULT_BUDGET);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid HTTP filter regex `" + source + "`: " + e.getDescription(), e);
        }
    }

    @Override
    public boolean find(CharSequence input) {
        try {
            return pattern.matcher(new Budgeted(input, budget)).find();
        } catch (BudgetExceeded e) {
            return false;
        }
    }

    @Override
    public String source() {
        return source;
    }

    private static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** Counts reads shared across sub-sequences of one match attempt. */
    private static final class Budgeted implements CharSequence {
        private final CharSequence s;
        private final long[] left;
        private final int offset;
        private final int length;

        Budgeted(CharSequence s, long budget) {
            this(s, new long[] {budget}, 0, s.length());
        }

        private Budgeted(CharSequence s, long[] left, int offset, int length) {
            this.s = s;
            this.left = left;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new BudgetExceeded();
            }
            return s.charAt(offset + index);
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(s, left, offset + start, end - start);
        }

        @Override
        public String toString() {
            return s.subSequence(offset, offset + length).toString();
        }
    }
}
