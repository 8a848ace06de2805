package io.groupwarden.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: status, content type, extra headers and one of three bodies — bytes, a value the
 * server serialises to JSON, or a chunked stream written as fast as the client reads it.
 */
public final class Response {
  /** What a response carries. */
  sealed interface Body permits Bytes, Json, Stream {}

  record Bytes(byte[] bytes) implements Body {}

  record Json(Object value) implements Body {}

  record Stream(ChunkedInput<ByteBuf> input) implements Body {}

  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String HTML = "text/html; charset=utf-8";

  /** Prometheus's text exposition format, what a {@code /metrics} scrape answers. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final int status;
  private final String contentType;
  private final Body body;
  private final Map<String, String> headers;

  private Response(int status, String contentType, Body body, Map<String, String> headers) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.headers = headers;
  }

  /** 200 with {@code value} as JSON. */
  public static Response json(Object value) {
    return json(200, value);
  }

  public static Response json(int status, Object value) {
    return new Response(status, JSON, new Json(value), Map.of());
  }

  public static Response text(int status, String text) {
    return bytes(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Response html(String html) {
    return bytes(200, HTML, html.getBytes(StandardCharsets.UTF_8));
  }

  /** 200 with a scrape in Prometheus's text exposition format. */
  public static Response prometheus(String exposition) {
    return bytes(200, PROMETHEUS_TEXT, exposition.getBytes(StandardCharsets.UTF_8));
  }

  public static Response bytes(int status, String contentType, byte[] bytes) {
    return new Response(status, contentType, new Bytes(bytes), Map.of());
  }

  /**
   * A body written chunk by chunk while the connection stays writable, so a large answer never sits
   * whole in memory. The input is closed when the answer ends or the client goes away.
   */
  public static Response stream(int status, String contentType, ChunkedInput<ByteBuf> input) {
    return new Response(status, contentType, new Stream(input), Map.of());
  }

  /** {@code {"error": message}} with the status. */
  public static Response error(int status, String message) {
    return json(status, new ErrorBody(message));
  }

  /** This response with one more header. */
  public Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, Map.copyOf(more));
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  Body body() {
    return body;
  }

  Map<String, String> headers() {
    return headers;
  }

  @Override
  public String toString() {
    return "Response[" + status + " " + contentType + "]";
  }
}
