package dev.mirrordj.cli.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code MIRRORD_PROGRESS_MODE=json}: one JSON message per line on stdout, shaped like mirrord's so
 * IDE integrations can read it: {@code {"type":"NewTask","name":...,"parent":...}}, {@code
 * {"type":"FinishedTask","name":...,"success":...,"message":...}}, {@code
 * {"type":"Warning","message":...}}, {@code {"type":"Info","message":...}}.
 */
final class JsonProgress implements Progress {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final PrintStream out;
  private final AtomicBoolean done = new AtomicBoolean();

  JsonProgress(String name, String parent, PrintStream out) {
    this.name = name;
    this.out = out;
    ObjectNode msg = JSON.createObjectNode().put("type", "NewTask").put("name", name);
    if (parent == null) {
      msg.putNull("parent");
    } else {
      msg.put("parent", parent);
    }
    emit(msg);
  }

  private void emit(ObjectNode message) {
    synchronized (out) {
      out.println(message.toString());
      out.flush();
    }
  }

  private void finish(boolean success, String message) {
    if (done.compareAndSet(false, true)) {
      emit(
          JSON.createObjectNode()
              .put("type", "FinishedTask")
              .put("name", name)
              .put("success", success)
              .put("message", message));
    }
  }

  @Override
  public Progress subtask(String sub) {
    return new JsonProgress(sub, name, out);
  }

  @Override
  public void success(String message) {
    finish(true, message);
  }

  @Override
  public void failure(String message) {
    finish(false, message);
  }

  @Override
  public void warning(String message) {
    emit(JSON.createObjectNode().put("type", "Warning").put("message", message));
  }

  @Override
  public void info(String message) {
    emit(JSON.createObjectNode().put("type", "Info").put("message", message));
  }

  @Override
  public String name() {
    return name;
  }
}
