package io.groupwarden.coordinator.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads HTTP/1.1 answers off a raw socket, as a pipelining client must: one after another. */
final class RawHttp {
  private RawHttp() {}

  /** The body of the next answer: by Content-Length, or by chunks. */
  static String readBody(DataInputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not a status line: " + status);
    }
    int length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = Integer.parseInt(line(in).trim(), 16);
          size > 0;
          size = Integer.parseInt(line(in).trim(), 16)) {
        byte[] chunk = new byte[size];
        in.readFully(chunk);
        body.write(chunk);
        line(in);
      }
      line(in);
    } else if (length >= 0) {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      body.write(bytes);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static String line(DataInputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
