package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /consume}: reads a topic as a member of a consumer group, with the request body of
 * the consume service this replaces ({@code topic}, {@code group_id}, {@code max_messages}, {@code
 * timeout} in seconds) and {@code max_bytes}.
 */
record ConsumeHandler(TopicStore topics, ConsumeService service, String defaultGroupId) {
  static final int DEFAULT_MAX_MESSAGES = 10;
  static final int MAX_MAX_MESSAGES = 10_000;
  static final double DEFAULT_TIMEOUT_SECONDS = 5;
  static final double MAX_TIMEOUT_SECONDS = 300;
  static final long DEFAULT_MAX_BYTES = 4L << 20;
  static final long MAX_MAX_BYTES = 64L << 20;

  /** The body as sent; numbers are checked by {@link BodyNumbers}. */
  record Body(
      String topic,
      @JsonProperty("group_id") String groupId,
      @JsonProperty("max_messages") Number maxMessages,
      Number timeout,
      @JsonProperty("max_bytes") Number maxBytes) {}

  CompletableFuture<Response> consume(Request request) {
    ConsumeRequest consume = parse(request.bodyAs(Body.class), defaultGroupId);
    TopicsHandler.existing(topics, consume.topic());
    return service.consume(consume).thenApply(Response::json);
  }

  static ConsumeRequest parse(Body body, String defaultGroupId) {
    if (body.topic() == null || body.topic().isBlank()) {
      throw HttpError.badRequest("'topic' is required and must be a non-empty string");
    }
    if (body.groupId() != null && body.groupId().isBlank()) {
      throw HttpError.badRequest("'group_id' must not be empty; leave it out to use the default");
    }
    int maxMessages =
        (int)
            BodyNumbers.whole(
                body.maxMessages(), "max_messages", DEFAULT_MAX_MESSAGES, 1, MAX_MAX_MESSAGES);
    double timeout =
        BodyNumbers.decimal(
            body.timeout(), "timeout", DEFAULT_TIMEOUT_SECONDS, 0, MAX_TIMEOUT_SECONDS);
    long maxBytes =
        BodyNumbers.whole(body.maxBytes(), "max_bytes", DEFAULT_MAX_BYTES, 1, MAX_MAX_BYTES);
    return new ConsumeRequest(
        body.topic(),
        body.groupId() == null ? defaultGroupId : body.groupId(),
        maxMessages,
        maxBytes,
        Math.round(timeout * 1000));
  }
}
