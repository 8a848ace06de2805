package io.groupwarden.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 answers off a raw socket one after another, for tests that must control what goes
 * on the wire (pipelining). A body is read by its Content-Length or by its chunks; only a 204 or
 * 304 answer may have neither.
 */
public final class RawHttp {
  private final InputStream in;

  public RawHttp(InputStream in) {
    this.in = in;
  }

  /** One answer: its status, its content type (null when absent) and its body. */
  public record Answer(int status, String contentType, String body) {}

  public Answer next() throws IOException {
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    int length = -1;
    boolean chunked = false;
    String contentType = null;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).strip());
      } else if (lower.startsWith("content-type:")) {
        contentType = header.substring("content-type:".length()).strip();
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (chunked) {
      return new Answer(status, contentType, chunks());
    }
    if (length < 0 && status != 204 && status != 304) {
      // on a connection that stays open, the body would have no end
      throw new IOException("an answer without Content-Length or chunks: " + statusLine);
    }
    return new Answer(
        status, contentType, new String(exactly(Math.max(length, 0)), StandardCharsets.UTF_8));
  }

  private String chunks() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = chunkSize(); size > 0; size = chunkSize()) {
      body.writeBytes(exactly(size));
      line(); // the CRLF after the chunk
    }
    line(); // the CRLF after the last, empty chunk
    return body.toString(StandardCharsets.UTF_8);
  }

  private int chunkSize() throws IOException {
    return Integer.parseInt(line().strip(), 16);
  }

  private byte[] exactly(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new IOException("the connection closed in the middle of an answer");
    }
    return bytes;
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
