package dev.mirrordj.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the report's PNG charts with JFreeChart, headless. */
public final class Charts {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 440;

  private final Path dir;

  public Charts(Path dir) {
    this.dir = dir;
  }

  /**
   * One bar chart per benchmark and unit: every variant (direct, HAProxy or socat, ours per build)
   * side by side for each case of that benchmark.
   */
  public List<ChartFile> values(List<ResultLine> lines) throws IOException {
    Map<String, List<ResultLine>> groups = new TreeMap<>();
    for (ResultLine l : lines) {
      if (l.value() == null) continue;
      groups.computeIfAbsent(l.benchmark() + "|" + l.unit(), k -> new ArrayList<>()).add(l);
    }
    List<ChartFile> out = new ArrayList<>();
    for (Map.Entry<String, List<ResultLine>> g : groups.entrySet()) {
      String benchmark = g.getKey().substring(0, g.getKey().indexOf('|'));
      String unit = g.getKey().substring(g.getKey().indexOf('|') + 1);
      DefaultCategoryDataset data = new DefaultCategoryDataset();
      for (ResultLine l : g.getValue()) {
        data.addValue(l.value(), l.label(), shortCase(l.id()));
      }
      String better = lowerIsBetter(unit) ? "lower is better" : "higher is better";
      JFreeChart chart =
          ChartFactory.createBarChart(
              benchmark + ": " + unit + " (" + better + ")",
              null,
              unit,
              data,
              PlotOrientation.VERTICAL,
              true,
              false,
              false);
      CategoryPlot plot = chart.getCategoryPlot();
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
      plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(3.0f);
      for (int r = 0; r < data.getRowCount(); r++) {
        plot.getRenderer().setSeriesPaint(r, colorOf(data.getRowKey(r).toString(), r));
      }
      String file = fileName(benchmark + "-" + unit + "-values");
      save(chart, file);
      out.add(
          new ChartFile(
              benchmark,
              file,
              chart.getTitle().getText(),
              "each case of " + benchmark + ", every variant side by side (median over rounds)"));
    }
    return out;
  }

  /**
   * Latency distributions: for every case with at least two percentiles, the share of requests
   * answered within a time, per variant, on a log time axis.
   */
  public List<ChartFile> latencyDistributions(List<ResultLine> lines) throws IOException {
    Map<String, List<ResultLine>> byCase = new LinkedHashMap<>();
    for (ResultLine l : lines) {
      if (l.percentiles().size() >= 2)
        byCase.computeIfAbsent(l.id(), k -> new ArrayList<>()).add(l);
    }
    List<ChartFile> out = new ArrayList<>();
    for (Map.Entry<String, List<ResultLine>> c : byCase.entrySet()) {
      XYSeriesCollection data = new XYSeriesCollection();
      for (ResultLine l : c.getValue()) {
        XYSeries s = new XYSeries(l.label(), true, false);
        for (Map.Entry<Double, Double> p : new TreeMap<>(l.percentiles()).entrySet()) {
          s.addOrUpdate(p.getValue().doubleValue(), p.getKey().doubleValue() / 100.0);
        }
        data.addSeries(s);
      }
      JFreeChart chart =
          ChartFactory.createXYLineChart(
              c.getKey() + ": latency distribution",
              "latency (µs, log scale)",
              "share of requests answered within",
              data,
              PlotOrientation.VERTICAL,
              true,
              false,
              false);
      XYPlot plot = chart.getXYPlot();
      plot.setBackgroundPaint(Color.WHITE);
      plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      LogAxis time = new LogAxis("latency (µs, log scale)");
      time.setSmallestValue(1);
      time.setNumberFormatOverride(new DecimalFormat("#,##0"));
      plot.setDomainAxis(time);
      NumberAxis share = (NumberAxis) plot.getRangeAxis();
      share.setRange(0.0, 1.0);
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
      for (int i = 0; i < data.getSeriesCount(); i++) {
        renderer.setSeriesPaint(i, colorOf(data.getSeriesKey(i).toString(), i));
      }
      plot.setRenderer(renderer);
      String file = fileName(c.getKey() + "-latency");
      save(chart, file);
      out.add(
          new ChartFile(
              c.getValue().get(0).benchmark(),
              file,
              chart.getTitle().getText(),
              "the percentiles the load generator reports, as a cumulative distribution"));
    }
    return out;
  }

  /**
   * An XY chart of one quantity against another where a benchmark has a series (mirror completeness
   * against rate, memory against connection count): lines whose id ends in {@code @X}, X being the
   * swept quantity.
   */
  public List<ChartFile> sweeps(List<ResultLine> lines) throws IOException {
    Map<String, Map<String, XYSeries>> byCase = new LinkedHashMap<>();
    for (ResultLine l : lines) {
      int at = l.id().lastIndexOf('@');
      if (at < 0 || l.value() == null) continue;
      double x;
      try {
        x = Double.parseDouble(l.id().substring(at + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      String key = l.id().substring(0, at) + "|" + l.unit();
      byCase
          .computeIfAbsent(key, k -> new LinkedHashMap<>())
          .computeIfAbsent(l.label(), k -> new XYSeries(k, true, false))
          .addOrUpdate(x, l.value().doubleValue());
    }
    List<ChartFile> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, XYSeries>> c : byCase.entrySet()) {
      String name = c.getKey().substring(0, c.getKey().indexOf('|'));
      String unit = c.getKey().substring(c.getKey().indexOf('|') + 1);
      XYSeriesCollection data = new XYSeriesCollection();
      c.getValue().values().forEach(data::addSeries);
      JFreeChart chart =
          ChartFactory.createXYLineChart(
              name, "swept value", unit, data, PlotOrientation.VERTICAL, true, false, false);
      chart.getXYPlot().setBackgroundPaint(Color.WHITE);
      chart.getXYPlot().setRenderer(new XYLineAndShapeRenderer(true, true));
      String file = fileName(name + "-sweep");
      save(chart, file);
      int dot = name.indexOf('.');
      out.add(
          new ChartFile(
              dot < 0 ? name : name.substring(0, dot),
              file,
              name,
              unit + " against the swept value"));
    }
    return out;
  }

  private static final Color[] OURS = {
    new Color(0x1f, 0x5f, 0xbf),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0x94, 0x67, 0xbd),
    new Color(0x17, 0xbe, 0xcf)
  };

  /** The same colour for a variant in every chart: the baselines fixed, our builds in order. */
  static Color colorOf(String label, int index) {
    if (label.equals("direct")) return new Color(0x55, 0x55, 0x55);
    if (label.startsWith("haproxy")) return new Color(0xff, 0x7f, 0x0e);
    if (label.startsWith("socat")) return new Color(0x8c, 0x56, 0x4b);
    if (label.startsWith("agent")) return new Color(0xd6, 0x27, 0x28);
    return OURS[Math.floorMod(index, OURS.length)];
  }

  private void save(JFreeChart chart, String file) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, WIDTH, HEIGHT);
  }

  static boolean lowerIsBetter(String unit) {
    return unit.equals("us") || unit.equals("ms") || unit.equals("ns") || unit.equals("x");
  }

  /** "steal-h1.c16.m50" for "B1.steal-h1.c16.m50": the case, without the benchmark's id. */
  static String shortCase(String id) {
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(dot + 1);
  }

  static String fileName(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "")
        + ".png";
  }
}
