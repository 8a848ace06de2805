package io.groupwarden.operator.api;

import java.nio.charset.StandardCharsets;

/** A complete HTTP answer: status, content type and body. */
public record HttpReply(int status, String contentType, byte[] body) {
  public static HttpReply text(int status, String text) {
    return new HttpReply(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpReply json(int status, byte[] json) {
    return new HttpReply(status, "application/json", json);
  }

  public static HttpReply html(String html) {
    return new HttpReply(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }
}
