package dev.mirrordj.cli.progress;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code MIRRORD_PROGRESS_MODE=simple}: one plain line per event on stderr, with mirrord's prefixes
 * ({@code ✓} success, {@code x} failure, {@code !} warning, {@code *} info), indented by depth.
 */
final class SimpleProgress implements Progress {
  private final String name;
  private final String indent;
  private final PrintStream err;
  private final AtomicBoolean done = new AtomicBoolean();

  SimpleProgress(String name, SimpleProgress parent, PrintStream err) {
    this.name = name;
    this.indent = parent == null ? "" : parent.indent + "  ";
    this.err = err;
    line("  " + name + "...");
  }

  private void line(String text) {
    synchronized (err) {
      err.println(indent + text);
      err.flush();
    }
  }

  @Override
  public Progress subtask(String sub) {
    return new SimpleProgress(sub, this, err);
  }

  @Override
  public void success(String message) {
    if (done.compareAndSet(false, true)) {
      line("✓ " + (message == null ? name : message));
    }
  }

  @Override
  public void failure(String message) {
    if (done.compareAndSet(false, true)) {
      line("x " + (message == null ? name + " failed" : message));
    }
  }

  @Override
  public void warning(String message) {
    line("! " + message);
  }

  @Override
  public void info(String message) {
    line("* " + message);
  }

  @Override
  public String name() {
    return name;
  }
}
