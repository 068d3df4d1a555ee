package dev.mirrordj.bench.report;

/** A PNG the report shows: its file name in the report's directory, a title and what it shows. */
public record ChartFile(String benchmark, String file, String title, String caption) {}
