package dev.mirrordj.layerbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mirrordj.layerbridge.msg.LayerOp;
import dev.mirrordj.layerbridge.msg.LayerReply;
import dev.mirrordj.layerbridge.msg.LayerReplyTag;
import dev.mirrordj.layerbridge.msg.LayerRequest;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The C layer and the Java codec share one table of op numbers, reply tags, path operations and
 * HELLO flags: this test reads src/main/c/layer.h and compares it with the Java enums both ways, so
 * a number added, removed or changed on one side only fails the build.
 */
class LayerWireTableTest {
  static String header;

  @BeforeAll
  static void readHeader() throws Exception {
    header = Files.readString(Path.of("src/main/c/layer.h"));
  }

  /** "PREFIX_NAME = n" lines of one C enum, keyed by NAME. */
  static Map<String, Integer> cEnum(String enumName, String prefix) {
    Matcher body = Pattern.compile("enum " + enumName + "\\s*\\{([^}]*)\\}").matcher(header);
    assertFalse(!body.find(), "enum " + enumName + " not found in layer.h");
    Map<String, Integer> out = new TreeMap<>();
    Matcher entry = Pattern.compile(prefix + "([A-Z0-9_]+)\\s*=\\s*(\\d+)").matcher(body.group(1));
    while (entry.find()) {
      Integer old = out.put(entry.group(1), Integer.parseInt(entry.group(2)));
      assertEquals(null, old, "duplicate " + prefix + entry.group(1));
    }
    assertFalse(out.isEmpty(), "no entries parsed from enum " + enumName);
    return out;
  }

  @Test
  void requestOpsAreTheSameInCAndJava() {
    Map<String, Integer> java = new TreeMap<>();
    for (LayerOp op : LayerOp.values()) java.put(op.name(), op.code);
    assertEquals(java, cEnum("ml_op", "OP_"));
  }

  @Test
  void replyTagsAreTheSameInCAndJava() {
    Map<String, Integer> java = new TreeMap<>();
    for (LayerReplyTag t : LayerReplyTag.values()) java.put(t.name(), t.code);
    assertEquals(java, cEnum("ml_reply", "RP_"));
  }

  @Test
  void pathOperationsAreTheSameInCAndJava() {
    Map<String, Integer> java = new TreeMap<>();
    for (LayerRequest.PathOp.Op op : LayerRequest.PathOp.Op.values()) java.put(op.name(), op.code);
    assertEquals(java, cEnum("ml_pathop", "PO_"));
  }

  @Test
  void helloFlagsAreTheSameInCAndJava() throws Exception {
    Map<String, Integer> java = new TreeMap<>();
    for (Field f : LayerReply.Hello.class.getFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()))
        java.put(f.getName(), f.getInt(null));
    }
    Map<String, Integer> c = new TreeMap<>();
    Matcher m = Pattern.compile("#define CFG_([A-Z_]+)\\s+0x([0-9a-fA-F]+)u").matcher(header);
    while (m.find()) c.put(m.group(1), Integer.parseInt(m.group(2), 16));
    assertFalse(c.isEmpty(), "no CFG_ flags parsed from layer.h");
    assertEquals(java, c);
  }

  @Test
  void everyJavaRequestOpDecodes() {
    // the codec's switch is exhaustive over LayerOp; an op without a case would not compile, and an
    // unknown byte is refused by name
    io.vertx.core.buffer.Buffer unknown =
        io.vertx.core.buffer.Buffer.buffer().appendByte((byte) 99);
    LayerProtocolException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            LayerProtocolException.class, () -> LayerCodec.decode(unknown));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("unknown request op 99"));
  }
}
