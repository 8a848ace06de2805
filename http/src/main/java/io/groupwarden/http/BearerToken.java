package io.groupwarden.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The token that guarded routes require. Without a configured token every guarded request is
 * refused rather than served open. Tokens are compared in constant time.
 */
public final class BearerToken {
  private static final String PREFIX = "Bearer ";
  private final byte[] expected;

  public BearerToken(String token) {
    this.expected =
        token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
  }

  /** A token that admits nobody. */
  public static BearerToken none() {
    return new BearerToken(null);
  }

  public boolean configured() {
    return expected != null;
  }

  /** True when the Authorization header carries the configured token. */
  public boolean admits(String authorizationHeader) {
    if (expected == null || authorizationHeader == null) {
      return false;
    }
    if (!authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    return matches(authorizationHeader.substring(PREFIX.length()));
  }

  /** True when {@code token} (without the "Bearer " prefix) is the configured token. */
  public boolean matches(String token) {
    if (expected == null || token == null) {
      return false;
    }
    return MessageDigest.isEqual(expected, token.strip().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return configured() ? "BearerToken[configured]" : "BearerToken[none]";
  }
}
