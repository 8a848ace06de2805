package io.groupwarden.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as a route sees it.
 *
 * @param method the method, upper case
 * @param path the decoded path without the query
 * @param pathParams the values of the route's {@code {name}} segments
 * @param query the query parameters
 * @param headers the request headers, names in lower case (first value of each)
 * @param body the request body, empty when there is none
 * @param remote the client's address
 */
public record Request(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    SocketAddress remote,
    ObjectMapper json) {

  /** The value of a path parameter the route declared. */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("the route declares no path parameter " + name);
    }
    return value;
  }

  /** The first value of a query parameter, or {@code fallback}. */
  public String query(String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  /** A header's value, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * A whole-number query parameter within bounds, or {@code fallback} when absent.
   *
   * @throws HttpError 400 when it is not a number or out of range (never silently truncated)
   */
  public long queryLong(String name, long fallback, long min, long max) {
    String text = query(name, null);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw HttpError.badRequest(name + " must be a whole number, not '" + text + "'");
    }
    if (value < min || value > max) {
      throw HttpError.badRequest(name + " must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  /** {@link #queryLong} for an int. */
  public int queryInt(String name, int fallback, int min, int max) {
    return (int) queryLong(name, fallback, min, max);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * The JSON body read as {@code type}.
   *
   * @throws HttpError 400 naming what is wrong, without the parser's internals
   */
  public <T> T bodyAs(Class<T> type) {
    if (body.length == 0) {
      throw HttpError.badRequest("a JSON body is required");
    }
    try {
      T value = json.readValue(body, type);
      if (value == null) {
        throw HttpError.badRequest("a JSON object is required, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw HttpError.badRequest("unknown field '" + fieldPath(e) + "'");
    } catch (MismatchedInputException e) {
      String field = fieldPath(e);
      throw HttpError.badRequest(
          field.isEmpty()
              ? "the body must be a JSON object"
              : "field '" + field + "' has the wrong type");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw HttpError.badRequest(
          at == null
              ? "the body is not valid JSON"
              : "the body is not valid JSON (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")");
    } catch (IOException e) {
      throw HttpError.badRequest("the body cannot be read");
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
