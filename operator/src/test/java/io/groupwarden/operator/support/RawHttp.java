package io.groupwarden.operator.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 answers off a raw socket one at a time, for tests that must control what goes on
 * the wire (pipelining). Only answers with a Content-Length are understood.
 */
public final class RawHttp {
  private final InputStream in;

  public RawHttp(InputStream in) {
    this.in = in;
  }

  /** One answer: its status, its content type and its body. */
  public record Answer(int status, String contentType, String body) {}

  public Answer next() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = -1;
    String contentType = null;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).strip());
      } else if (lower.startsWith("content-type:")) {
        contentType = header.substring("content-type:".length()).strip();
      }
    }
    if (length < 0) {
      throw new IOException("an answer without Content-Length: " + statusLine);
    }
    return new Answer(
        status, contentType, new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("the connection closed in the middle of an answer");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
