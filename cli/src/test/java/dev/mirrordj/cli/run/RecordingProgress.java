package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import java.util.List;

/** Records warnings and infos as "warning: ..." / "info: ..." into the given list. */
final class RecordingProgress implements Progress {
  private final List<String> said;

  RecordingProgress(List<String> said) {
    this.said = said;
  }

  @Override
  public Progress subtask(String name) {
    return this;
  }

  @Override
  public void success(String message) {}

  @Override
  public void failure(String message) {}

  @Override
  public void warning(String message) {
    said.add("warning: " + message);
  }

  @Override
  public void info(String message) {
    said.add("info: " + message);
  }

  @Override
  public String name() {
    return "test";
  }
}
