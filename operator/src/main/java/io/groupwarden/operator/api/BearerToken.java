package io.groupwarden.operator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The token the insight API requires. Without a configured token the API refuses every request
 * rather than serving it open.
 */
public final class BearerToken {
  private final byte[] expected;

  public BearerToken(String token) {
    this.expected =
        token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
  }

  public boolean configured() {
    return expected != null;
  }

  /** True when the Authorization header carries the configured token. */
  public boolean admits(String authorizationHeader) {
    if (expected == null || authorizationHeader == null) {
      return false;
    }
    String prefix = "Bearer ";
    if (!authorizationHeader.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    byte[] given =
        authorizationHeader.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  @Override
  public String toString() {
    return configured() ? "BearerToken[configured]" : "BearerToken[none]";
  }
}
