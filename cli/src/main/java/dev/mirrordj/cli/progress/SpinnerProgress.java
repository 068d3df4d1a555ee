package dev.mirrordj.cli.progress;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code MIRRORD_PROGRESS_MODE=std} (default): on a terminal, a spinner line for the running task
 * that is replaced by its {@code ✓}/{@code x} line when it finishes; when stderr is not a terminal
 * it prints the same lines as {@link SimpleProgress} without animation. The animation thread is a
 * daemon and stops when the task finishes.
 */
final class SpinnerProgress implements Progress {
  private static final String[] FRAMES = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  private static final ScheduledExecutorService TICKER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mirrord-spinner");
            t.setDaemon(true);
            return t;
          });

  private final String name;
  private final String indent;
  private final PrintStream err;
  private final boolean interactive;
  private final AtomicBoolean done = new AtomicBoolean();
  private final ScheduledFuture<?> animation;
  private int frame;

  SpinnerProgress(String name, PrintStream err, boolean interactive) {
    this(name, "", err, interactive);
  }

  private SpinnerProgress(String name, String indent, PrintStream err, boolean interactive) {
    this.name = name;
    this.indent = indent;
    this.err = err;
    this.interactive = interactive;
    if (interactive) {
      animation = TICKER.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    } else {
      animation = null;
      print(indent + "  " + name + "...", true);
    }
  }

  private void tick() {
    if (!done.get()) {
      print("\r" + indent + FRAMES[frame++ % FRAMES.length] + " " + name, false);
    }
  }

  private void print(String text, boolean newline) {
    synchronized (err) {
      if (newline) {
        err.println(text);
      } else {
        err.print(text);
      }
      err.flush();
    }
  }

  private void finish(String symbol, String text) {
    if (done.compareAndSet(false, true)) {
      if (animation != null) {
        animation.cancel(false);
      }
      print((interactive ? "\r\033[2K" : "") + indent + symbol + " " + text, true);
    }
  }

  @Override
  public Progress subtask(String sub) {
    if (interactive) {
      print("", true); // keep the parent's line; the sub-task animates below it
    }
    return new SpinnerProgress(sub, indent + "  ", err, interactive);
  }

  @Override
  public void success(String message) {
    finish("✓", message == null ? name : message);
  }

  @Override
  public void failure(String message) {
    finish("x", message == null ? name + " failed" : message);
  }

  @Override
  public void warning(String message) {
    print((interactive ? "\r\033[2K" : "") + indent + "! " + message, true);
  }

  @Override
  public void info(String message) {
    print((interactive ? "\r\033[2K" : "") + indent + "* " + message, true);
  }

  @Override
  public String name() {
    return name;
  }
}
