package dev.mirrordj.e2e.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles and medians over measured samples. */
final class Stats {
  private Stats() {}

  /** The q-quantile (0..1) of {@code samples} by nearest rank. */
  static double quantile(double[] samples, double q) {
    double[] s = samples.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(q * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, idx))];
  }

  static double median(List<Double> values) {
    return quantile(values.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
