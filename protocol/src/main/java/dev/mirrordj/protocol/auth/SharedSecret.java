package dev.mirrordj.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret shared by one agent (or operator) and the clients allowed to use it. It travels only in
 * environments and Kubernetes Secrets, never on a command line (anyone who can list processes or
 * pods reads those). {@link #toString()} never shows it.
 */
public final class SharedSecret {
  /** Where an agent finds its secret, and where {@code run} finds one for connect_tcp. */
  public static final String AGENT_VARIABLE = "MIRRORD_AGENT_SECRET";

  /** Where an operator node finds the secret its users hold, and where {@code run} finds it. */
  public static final String OPERATOR_VARIABLE = "MIRRORD_OPERATOR_SECRET";

  /** Shorter secrets are refused: they could be guessed from one observed challenge and proof. */
  public static final int MIN_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALGORITHM = "HmacSHA256";

  private final String text;

  private SharedSecret(String text) {
    this.text = text;
  }

  /** A fresh secret: 32 random bytes, hex. */
  public static SharedSecret generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return new SharedSecret(HexFormat.of().formatHex(b));
  }

  /**
   * @throws IllegalArgumentException when the text is too short to be a secret
   */
  public static SharedSecret of(String text, String origin) {
    if (text == null || text.strip().length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          origin
              + " must hold at least "
              + MIN_LENGTH
              + " characters (got "
              + (text == null ? "none" : text.strip().length())
              + ")");
    }
    return new SharedSecret(text.strip());
  }

  /** The secret in {@code variable} of {@code env}; empty when unset or blank. */
  public static Optional<SharedSecret> fromEnvironment(Map<String, String> env, String variable) {
    String v = env.get(variable);
    if (v == null || v.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(of(v, variable));
  }

  /** The text to put in an environment variable or a Kubernetes Secret. */
  public String text() {
    return text;
  }

  /** A fresh nonce for one challenge. */
  public static byte[] nonce() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }

  /** HMAC-SHA256(secret, nonce || context). */
  public byte[] proof(byte[] nonce, String context) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(text.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update(nonce);
      mac.update(context.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Constant-time comparison of {@code proof} with the expected one. */
  public boolean verifies(byte[] nonce, String context, byte[] proof) {
    return MessageDigest.isEqual(proof(nonce, context), proof);
  }

  @Override
  public String toString() {
    return "SharedSecret[hidden]";
  }
}
