package dev.mirrordj.agent.incoming.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A request's body as body filters see it: the complete decoded bytes, or absent when it did not
 * arrive within the buffering limits (then every body filter is false). The JSON parse happens at
 * most once however many body filters ask.
 */
public final class RequestBody {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The body was too large or too slow: body filters do not match. */
  public static final RequestBody UNAVAILABLE = new RequestBody(null);

  private final byte[] bytes;
  private JsonNode json;
  private boolean parsed;

  private RequestBody(byte[] bytes) {
    this.bytes = bytes;
  }

  public static RequestBody of(byte[] bytes) {
    return new RequestBody(bytes);
  }

  public boolean available() {
    return bytes != null;
  }

  /** Payload bytes; 0 when unavailable. */
  public int length() {
    return bytes == null ? 0 : bytes.length;
  }

  /** The body as JSON, or null when it is unavailable or not JSON. */
  JsonNode json() {
    if (!parsed) {
      parsed = true;
      if (bytes != null && bytes.length > 0) {
        try {
          json = JSON.readTree(bytes);
        } catch (IOException e) {
          json = null;
        }
      }
    }
    return json;
  }
}
