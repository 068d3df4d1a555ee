package dev.mirrordj.e2e.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Runs the direct path (P) and ours (S) interleaved for several rounds and reduces them to the
 * median ratio with its spread: single runs on a shared 2-core machine prove nothing.
 */
final class Rounds {
  final List<Double> p = new ArrayList<>();
  final List<Double> s = new ArrayList<>();
  final List<Double> ratios = new ArrayList<>();

  static Rounds run(int rounds, DoubleSupplier direct, DoubleSupplier ours) {
    Rounds r = new Rounds();
    for (int i = 0; i < rounds; i++) {
      double pv = direct.getAsDouble();
      double sv = ours.getAsDouble();
      r.p.add(pv);
      r.s.add(sv);
      r.ratios.add(sv / pv);
    }
    return r;
  }

  /**
   * Fills P, S (medians), ratio_S_P (median of the per-round ratios), rounds and spread [min, max]
   * of the ratio.
   */
  JsonLine into(JsonLine line) {
    return line.put("P", Stats.round(Stats.median(p), 3))
        .put("S", Stats.round(Stats.median(s), 3))
        .put("ratio_S_P", Stats.round(Stats.median(ratios), 3))
        .put("rounds", ratios.size())
        .put(
            "spread",
            List.of(Stats.round(Stats.min(ratios), 3), Stats.round(Stats.max(ratios), 3)));
  }
}
