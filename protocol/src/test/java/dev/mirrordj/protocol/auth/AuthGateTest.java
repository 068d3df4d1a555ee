package dev.mirrordj.protocol.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.protocol.Auth;
import dev.mirrordj.protocol.Control;
import dev.mirrordj.protocol.Errno;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-connection challenge: one fresh nonce, one proof, and nothing served before it. */
class AuthGateTest {
  private final SharedSecret secret = SharedSecret.generate();

  private AuthGate gate() {
    return AuthGate.of(secret, "ctx", SharedSecret.AGENT_VARIABLE);
  }

  private static Auth.Proof proof(SharedSecret s, Auth.Challenge c) {
    return new Auth.Proof(Buffer.buffer(s.proof(c.nonce().getBytes(), c.context())));
  }

  @Test
  void theRightProofPassesOnce() throws Exception {
    AuthGate g = gate();
    assertFalse(g.passed());
    Auth.Challenge c = (Auth.Challenge) g.beforePassed(new Auth.Request());
    assertEquals("ctx", c.context());
    assertInstanceOf(Control.Ok.class, g.beforePassed(proof(secret, c)));
    assertTrue(g.passed());
  }

  @Test
  void wrongMissingAndReplayedProofsAreRefused() throws Exception {
    AuthGate wrong = gate();
    Auth.Challenge c = (Auth.Challenge) wrong.beforePassed(new Auth.Request());
    var e =
        assertThrows(
            AuthGate.AuthRefusedException.class,
            () -> wrong.beforePassed(proof(SharedSecret.generate(), c)));
    assertTrue(e.getMessage().contains("wrong proof"), e.getMessage());
    assertFalse(wrong.passed());
    // the nonce is spent: the right proof afterwards is refused too
    assertThrows(AuthGate.AuthRefusedException.class, () -> wrong.beforePassed(proof(secret, c)));

    AuthGate missing = gate();
    var m =
        assertThrows(
            AuthGate.AuthRefusedException.class,
            () -> missing.beforePassed(new Control.Hello(1, 0, "x")));
    assertTrue(m.getMessage().contains(SharedSecret.AGENT_VARIABLE), m.getMessage());

    AuthGate first = gate();
    Auth.Challenge c1 = (Auth.Challenge) first.beforePassed(new Auth.Request());
    Auth.Proof recorded = proof(secret, c1);
    first.beforePassed(recorded);
    AuthGate second = gate();
    Auth.Challenge c2 = (Auth.Challenge) second.beforePassed(new Auth.Request());
    assertFalse(c1.nonce().equals(c2.nonce()), "fresh nonce per connection");
    assertThrows(AuthGate.AuthRefusedException.class, () -> second.beforePassed(recorded));
    assertThrows(AuthGate.AuthRefusedException.class, () -> gate().beforePassed(recorded));
  }

  @Test
  void withoutASecretTheGateIsOpenAndSaysSoToAClientThatAsks() {
    AuthGate open = AuthGate.of(null, "ctx", SharedSecret.AGENT_VARIABLE);
    assertTrue(open.passed());
    Control.ErrorReply r = (Control.ErrorReply) open.noSecretReply();
    assertEquals(Errno.EPROTO, r.errno());
  }

  @Test
  void secretsAreCheckedAndNeverPrinted() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SharedSecret.fromEnvironment(Map.of("V", "short"), "V"));
    assertTrue(SharedSecret.fromEnvironment(Map.of(), "V").isEmpty());
    assertFalse(secret.toString().contains(secret.text()));
    assertEquals(64, secret.text().length());
  }
}
