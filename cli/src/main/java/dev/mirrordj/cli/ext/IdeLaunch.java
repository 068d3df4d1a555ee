package dev.mirrordj.cli.ext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The document {@code ext} hands an IDE: how to change the IDE's own environment so that the
 * process it starts runs in the session. Shaped as mirrord's IDE plugins read it: {@code
 * environment} (variables to set), {@code env_to_unset} (variables to remove), {@code patched_path}
 * (always null: no binary is patched on Linux) and {@code uses_operator}.
 */
public final class IdeLaunch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IdeLaunch() {}

  /**
   * The difference between the environment {@code ext} itself runs with (what the IDE would give
   * its process) and the one the program must have.
   */
  public static String document(Map<String, String> local, Map<String, String> program) {
    ObjectNode doc = JSON.createObjectNode();
    ObjectNode set = doc.putObject("environment");
    new TreeMap<>(program)
        .forEach(
            (k, v) -> {
              if (!v.equals(local.get(k))) set.put(k, v);
            });
    doc.putNull("patched_path");
    ArrayNode unset = doc.putArray("env_to_unset");
    new TreeSet<>(local.keySet())
        .forEach(
            k -> {
              if (!program.containsKey(k)) unset.add(k);
            });
    doc.put("uses_operator", false);
    return doc.toString();
  }
}
