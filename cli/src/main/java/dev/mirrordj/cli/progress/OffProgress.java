package dev.mirrordj.cli.progress;

/** {@code MIRRORD_PROGRESS_MODE=off}: shows nothing. */
final class OffProgress implements Progress {
  private final String name;

  OffProgress(String name) {
    this.name = name;
  }

  @Override
  public Progress subtask(String sub) {
    return new OffProgress(sub);
  }

  @Override
  public void success(String message) {}

  @Override
  public void failure(String message) {}

  @Override
  public void warning(String message) {}

  @Override
  public void info(String message) {}

  @Override
  public String name() {
    return name;
  }
}
