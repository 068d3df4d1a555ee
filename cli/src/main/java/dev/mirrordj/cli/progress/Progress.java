package dev.mirrordj.cli.progress;

/**
 * A task the user watches while a session starts ("mirrord preparing to launch" → "creating agent
 * pod..."). Modes ({@link ProgressMode}) decide how it is shown; callers only report. A task is
 * finished once, by {@link #success} or {@link #failure}; finishing it again is ignored.
 */
public interface Progress {
  /** Starts a sub-task shown under this one. */
  Progress subtask(String name);

  /** Finishes the task successfully, optionally with a message (may be null). */
  void success(String message);

  /** Finishes the task as failed, optionally with a message (may be null). */
  void failure(String message);

  /** Reports a warning the user should read. */
  void warning(String message);

  /** Reports a piece of information. */
  void info(String message);

  /** The task's name. */
  String name();
}
