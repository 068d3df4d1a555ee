package dev.mirrordj.agent.runtime.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The hand-written protobuf codec checked against the official protobuf-java runtime. */
class ProtobufTest {

  @Test
  void encodedStringsDecodeWithTheOfficialRuntime() throws Exception {
    String longId = "x".repeat(300); // length needs a two-byte varint
    byte[] encoded = Protobuf.strings(1, "abc", 2, longId);
    CodedInputStream in = CodedInputStream.newInstance(encoded);
    assertEquals(1 << 3 | 2, in.readTag());
    assertEquals("abc", in.readString());
    assertEquals(2 << 3 | 2, in.readTag());
    assertEquals(longId, in.readString());
    assertEquals(0, in.readTag());
  }

  @Test
  void readsFieldsWrittenByTheOfficialRuntimeSkippingEveryOtherWireType() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeFixed32(7, 1);
    o.writeString(1, "id");
    o.writeFixed64(8, -1L);
    o.writeUInt32(3, 0xFFFFFFFF >>> 1);
    o.writeSInt64(9, -5);
    o.writeByteArray(4, new byte[] {1, 2, 3});
    o.flush();
    byte[] msg = out.toByteArray();
    assertEquals(Integer.MAX_VALUE, Protobuf.varintField(msg, 3));
    assertArrayEquals("id".getBytes(StandardCharsets.UTF_8), Protobuf.bytesField(msg, 1));
    assertArrayEquals(new byte[] {1, 2, 3}, Protobuf.bytesField(msg, 4));
    assertNull(Protobuf.bytesField(msg, 5));
    assertEquals(0, Protobuf.varintField(msg, 6));
  }

  @Test
  void truncatedMessagesAreRejectedNotMisread() {
    byte[] msg = Protobuf.strings(1, "container-id");
    for (int cut = 1; cut < msg.length; cut++) {
      byte[] truncated = Arrays.copyOf(msg, cut);
      assertThrows(
          IllegalArgumentException.class, () -> Protobuf.bytesField(truncated, 1), "cut at " + cut);
    }
    assertThrows(
        IllegalArgumentException.class, () -> Protobuf.varintField(new byte[] {(byte) 0x83}, 1));
  }
}
