package dev.mirrordj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mirrordj.config.bind.ConfigValueException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutgoingFilterEntryTest {

  @Test
  void referenceExamples() throws Exception {
    assertEquals(
        new OutgoingFilterEntry(
            Optional.of("tcp"), Optional.of("1.1.1.0"), Optional.of(24), Optional.of(1337)),
        OutgoingFilterEntry.parse("tcp://1.1.1.0/24:1337"));
    assertEquals(
        new OutgoingFilterEntry(
            Optional.empty(), Optional.of("1.1.5.0"), Optional.of(24), Optional.empty()),
        OutgoingFilterEntry.parse("1.1.5.0/24"));
    assertEquals(
        new OutgoingFilterEntry(
            Optional.empty(), Optional.of("google.com"), Optional.empty(), Optional.empty()),
        OutgoingFilterEntry.parse("google.com"));
    assertEquals(
        new OutgoingFilterEntry(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(53)),
        OutgoingFilterEntry.parse(":53"));
    assertEquals(
        new OutgoingFilterEntry(
            Optional.of("udp"), Optional.of("1.1.1.0"), Optional.of(24), Optional.of(1337)),
        OutgoingFilterEntry.parse("udp://1.1.1.0/24:1337"));
    assertEquals(Optional.of(7331), OutgoingFilterEntry.parse("google.com:7331").port());
    assertEquals(
        Optional.of("localhost"), OutgoingFilterEntry.parse("tcp://localhost:1337").host());
    assertEquals(Optional.of("::1"), OutgoingFilterEntry.parse("[::1]:80").host());
    assertEquals(Optional.of(64), OutgoingFilterEntry.parse("fd00::/64").prefixLength());
  }

  @Test
  void rejectsMalformed() {
    for (String bad :
        new String[] {
          "",
          "sctp://1.1.1.1",
          "1.1.1.1:99999",
          "1.1.1.0/33",
          "host:",
          "bad host",
          "google.com/24",
          "tcp://",
          ":x",
          "[::1"
        }) {
      assertThrows(ConfigValueException.class, () -> OutgoingFilterEntry.parse(bad), bad);
    }
  }
}
