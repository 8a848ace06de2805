package io.groupwarden.http;

/**
 * A request the server refuses, answered with its status and {@code {"error": message}}. The
 * message is for the client: it names what was wrong and never carries parser or stack internals.
 */
public final class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  public static HttpError unavailable(String message) {
    return new HttpError(503, message);
  }
}
