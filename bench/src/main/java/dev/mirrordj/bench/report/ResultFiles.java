package dev.mirrordj.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the benchmarks' output files. Only lines that start with '{' are results: the scripts'
 * stdout may carry other text, which is skipped and counted, never mistaken for a number.
 */
public final class ResultFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The results of some files, and how many lines were not results. */
  public record Read(List<ResultLine> lines, int skipped) {}

  private ResultFiles() {}

  public static Read read(List<Path> files) throws IOException {
    List<ResultLine> lines = new ArrayList<>();
    int skipped = 0;
    for (Path f : files) {
      int number = 0;
      for (String line : Files.readAllLines(f)) {
        number++;
        String t = line.trim();
        if (!t.startsWith("{")) {
          if (!t.isEmpty()) skipped++;
          continue;
        }
        try {
          JsonNode n = JSON.readTree(t);
          lines.addAll(ResultLine.from(n));
        } catch (JsonProcessingException | IllegalArgumentException e) {
          throw new IOException(f + ":" + number + ": not a result line: " + e.getMessage(), e);
        }
      }
    }
    return new Read(lines, skipped);
  }
}
