package dev.mirrordj.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar mirrordj-bench-report.jar --out DIR [--commit C] [--title T] RESULTS.jsonl...}:
 * writes DIR/index.html and its PNG charts. Exit 0 when written, 2 for bad arguments or unreadable
 * results (with the reason on stderr).
 */
public final class ReportMain {
  private ReportMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    try {
      Path index = run(args);
      System.out.println(index);
    } catch (UsageException | IOException e) {
      System.err.println("bench report: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Writes the report; returns the path of index.html. */
  public static Path run(String[] args) throws IOException, UsageException {
    Path out = null;
    String commit = "unknown";
    String title = "mirrordj benchmarks";
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--commit" -> commit = value(args, ++i, "--commit");
        case "--title" -> title = value(args, ++i, "--title");
        default -> {
          if (args[i].startsWith("--")) throw new UsageException("unknown option " + args[i]);
          inputs.add(Path.of(args[i]));
        }
      }
    }
    if (out == null) throw new UsageException("--out DIR is required");
    if (inputs.isEmpty()) throw new UsageException("no results file given");
    for (Path p : inputs) {
      if (!Files.isReadable(p)) throw new UsageException("cannot read results file " + p);
    }
    ResultFiles.Read read = ResultFiles.read(inputs);
    if (read.lines().isEmpty()) throw new UsageException("no result lines in " + inputs);
    Files.createDirectories(out);
    Charts charts = new Charts(out);
    List<ChartFile> all = new ArrayList<>();
    all.addAll(charts.values(read.lines()));
    all.addAll(charts.latencyDistributions(read.lines()));
    all.addAll(charts.sweeps(read.lines()));
    String html =
        ReportPage.render(
            title,
            commit,
            ZonedDateTime.now(ZoneOffset.UTC)
                    .withNano(0)
                    .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                + " UTC",
            machine(read.lines()),
            read.lines(),
            all,
            read.skipped());
    Path index = out.resolve("index.html");
    ReportPage.write(index, html);
    return index;
  }

  /** What the results say of the machine, completed by this JVM's view where they are silent. */
  static Map<String, String> machine(List<ResultLine> lines) {
    Map<String, String> m = new LinkedHashMap<>();
    for (ResultLine l : lines) {
      l.machine()
          .forEach(
              (k, v) -> {
                if (!k.equals("commit")) m.putIfAbsent(k, v);
              });
    }
    m.putIfAbsent("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.putIfAbsent("kernel", System.getProperty("os.version"));
    m.putIfAbsent("java", System.getProperty("java.version"));
    return m;
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) throw new UsageException(option + " needs a value");
    return args[i];
  }

  /** A bad command line. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }
}
