package dev.mirrordj.protocol.client;

import dev.mirrordj.protocol.Message;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Requests waiting for their replies, by request id. Ids are non-zero and never reused while in
 * flight. A handler returns true when its request is complete (multi-frame replies return false
 * until the last frame). Confined to the client's context.
 */
final class PendingRequests {
  /** A reply handler plus the promise to fail if the agent is lost first. */
  private record Entry(Function<Message, Boolean> onReply, Promise<?> failer) {}

  private final Map<Integer, Entry> pending = new HashMap<>();
  private int nextId = 1;

  /** Registers a request and returns its id. */
  int add(Function<Message, Boolean> onReply, Promise<?> failer) {
    int id = nextId;
    while (id == 0 || pending.containsKey(id)) {
      id++;
    }
    nextId = id + 1;
    pending.put(id, new Entry(onReply, failer));
    return id;
  }

  /** Hands a reply to its request; false if no request has that id. */
  boolean reply(int id, Message m) {
    Entry e = pending.get(id);
    if (e == null) {
      return false;
    }
    if (e.onReply().apply(m)) {
      pending.remove(id);
    }
    return true;
  }

  /** Fails every waiting request with {@code cause} and forgets them. */
  void failAll(Throwable cause) {
    var entries = new ArrayList<>(pending.values());
    pending.clear();
    for (Entry e : entries) {
      e.failer().tryFail(cause);
    }
  }
}
