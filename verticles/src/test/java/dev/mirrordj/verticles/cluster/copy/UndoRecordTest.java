package dev.mirrordj.verticles.cluster.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The undo record survives the trip through a replicated map (JSON and Java serialization). */
class UndoRecordTest {
  private final UndoRecord scaled =
      UndoRecord.copyOnly("s-1", "alice", "prod", "api-copy-x2b4k").withScaledDeployment("api", 3);

  @Test
  void jsonRoundTrip() {
    JsonObject json = scaled.toJson();
    assertEquals(
        new JsonObject(
            "{\"sessionId\":\"s-1\",\"namespace\":\"prod\",\"copyPod\":\"api-copy-x2b4k\","
                + "\"owner\":\"alice\",\"deployment\":\"api\",\"originalReplicas\":3}"),
        json);
    assertEquals(scaled, UndoRecord.fromJson(new JsonObject(json.encode())));
    UndoRecord plain = UndoRecord.copyOnly("s-2", null, "prod", "web-copy-abcde");
    assertFalse(plain.toJson().containsKey("deployment"));
    assertEquals(plain, UndoRecord.fromJson(plain.toJson()));
    assertFalse(plain.scaledDown());
    assertTrue(scaled.scaledDown());
  }

  @Test
  void javaSerializationRoundTrip() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(scaled);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(scaled, in.readObject());
    }
  }

  @Test
  void aRecordWithoutCopyPodRestoresADeploymentOnly() {
    UndoRecord deploymentOnly = new UndoRecord("s-3", null, "prod", null, "cart", 2);
    assertFalse(deploymentOnly.toJson().containsKey("copyPod"));
    assertEquals(deploymentOnly, UndoRecord.fromJson(deploymentOnly.toJson()));
    assertThrows(
        IllegalArgumentException.class, () -> new UndoRecord("s", null, "prod", null, null, null));
  }

  @Test
  void malformedRecordsAreRefused() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                UndoRecord.fromJson(new JsonObject().put("sessionId", "s").put("namespace", "n")));
    assertTrue(missing.getMessage().contains("not an undo record"), missing.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UndoRecord.fromJson(
                new JsonObject(
                    "{\"sessionId\":\"s\",\"namespace\":\"n\",\"copyPod\":\"p\",\"deployment\":\"d\"}")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UndoRecord.fromJson(
                new JsonObject(
                    "{\"sessionId\":\"s\",\"namespace\":\"n\",\"copyPod\":\"p\",\"originalReplicas\":\"x\"}")));
  }

  @Test
  void sessionIdsBecomeValidLabelValues() {
    assertEquals("alice-laptop-42", CopyMarkers.labelValue("alice@laptop:42"));
    assertEquals(63, CopyMarkers.labelValue("x".repeat(100)).length());
    assertEquals("abc", CopyMarkers.labelValue("--abc--"));
    assertEquals("session", CopyMarkers.labelValue("@@@"));
  }

  @Test
  void copyNamesAreUniqueShortDnsLabels() {
    String name = CopyPods.copyName("a".repeat(80));
    assertTrue(name.length() <= 63 && name.matches("a+-copy-[a-z0-9]{5}"), name);
    assertFalse(CopyPods.copyName("web").equals(CopyPods.copyName("web")));
  }
}
