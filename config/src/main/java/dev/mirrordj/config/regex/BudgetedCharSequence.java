package dev.mirrordj.config.regex;

/**
 * A {@link CharSequence} view that counts character reads and aborts the running match once a
 * budget is spent. java.util.regex has no backtrack limit; every backtracking step re-reads input,
 * so the number of reads bounds the work of a match.
 */
final class BudgetedCharSequence implements CharSequence {
  /** Thrown from {@link #charAt} when the budget is spent; no stack trace (it is control flow). */
  static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super("regex step budget exceeded", null, false, false);
    }
  }

  private final CharSequence delegate;
  private final long[] remaining;
  private final int start;
  private final int end;

  BudgetedCharSequence(CharSequence delegate, long budget) {
    this(delegate, new long[] {budget}, 0, delegate.length());
  }

  private BudgetedCharSequence(CharSequence delegate, long[] remaining, int start, int end) {
    this.delegate = delegate;
    this.remaining = remaining;
    this.start = start;
    this.end = end;
  }

  @Override
  public char charAt(int index) {
    if (--remaining[0] < 0) {
      throw new BudgetExceeded();
    }
    return delegate.charAt(start + index);
  }

  @Override
  public int length() {
    return end - start;
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    // Shares the budget: lookbehind and region work still count against the same match.
    return new BudgetedCharSequence(delegate, remaining, start + from, start + to);
  }

  @Override
  public String toString() {
    return delegate.subSequence(start, end).toString();
  }
}
