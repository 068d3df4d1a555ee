package dev.mirrordj.cli.portforward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The -L and -R forms: every accepted spelling, and errors that name the accepted form. */
class ForwardSpecsTest {
  private final ForwardSpecs.LocalConverter local = new ForwardSpecs.LocalConverter();
  private final ForwardSpecs.ReverseConverter reverse = new ForwardSpecs.ReverseConverter();

  @Test
  void localMappingsWithAndWithoutALocalPortNamesAndAddresses() {
    assertEquals(new ForwardSpecs.Local(8080, "api", 80), local.convert("8080:api:80"));
    assertEquals(new ForwardSpecs.Local(80, "api.ns.svc", 80), local.convert("api.ns.svc:80"));
    assertEquals(new ForwardSpecs.Local(0, "10.0.0.1", 5432), local.convert("0:10.0.0.1:5432"));
    assertEquals(new ForwardSpecs.Local(9000, "fd00::1", 7), local.convert("9000:[fd00::1]:7"));
    assertEquals(new ForwardSpecs.Local(7, "fd00::1", 7), local.convert("[fd00::1]:7"));
    assertEquals("[fd00::1]:7", local.convert("[fd00::1]:7").destination());
    assertEquals("api:80", local.convert("1:api:80").destination());
  }

  @Test
  void badLocalMappingsSayWhatIsAccepted() {
    for (String bad : new String[] {"api", "80:api", "a:b:c:d", ":80", "1:api:0", "70000:api:1"}) {
      TypeConversionException e =
          assertThrows(TypeConversionException.class, () -> local.convert(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("[local_port:]remote_host:remote_port"), e.getMessage());
    }
  }

  @Test
  void reverseMappings() {
    assertEquals(new ForwardSpecs.Reverse(80, 8080), reverse.convert("80:8080"));
    assertEquals(new ForwardSpecs.Reverse(3000, 3000), reverse.convert("3000"));
    for (String bad : new String[] {"", "a:1", "1:2:3", "0:80", "80:0"}) {
      TypeConversionException e =
          assertThrows(TypeConversionException.class, () -> reverse.convert(bad), bad);
      assertTrue(e.getMessage().contains("[remote_port:]local_port"), e.getMessage());
    }
  }
}
