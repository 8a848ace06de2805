package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /topics} and {@code GET /messages/{topic}}.
 *
 * @param selections where the records to return are chosen: a small pool of its own, so that
 *     requests for large topics never take every HTTP worker from {@code /health} and the rest
 */
record TopicsHandler(
    TopicStore topics, String defaultGroupId, ObjectMapper json, Executor selections) {
  /** Records {@code /messages} returns when the request names no {@code limit}. */
  static final int DEFAULT_LIMIT = 10;

  static final int MAX_LIMIT = 10_000;

  /** Bytes of keys and values {@code /messages} returns when the request names no limit. */
  static final long DEFAULT_MAX_BYTES = 4L << 20;

  static final long MAX_MAX_BYTES = 1L << 30;

  /**
   * One topic as listed; {@code group_id} is the group {@code POST /consume} uses when a request
   * names none, as the consume service this replaces listed it.
   */
  record Entry(
      String topic,
      int partitions,
      @JsonProperty("group_id") String groupId,
      String id,
      long messages) {}

  Response list(Request request) {
    List<Entry> entries =
        topics.all().stream()
            .sorted(Comparator.comparing(Topic::name))
            .map(
                topic ->
                    new Entry(
                        topic.name(),
                        topic.partitions().size(),
                        defaultGroupId,
                        topic.id().toString(),
                        topic.partitions().stream().mapToLong(TopicsHandler::messages).sum()))
            .toList();
    return Response.json(entries);
  }

  /** The newest records of a topic, oldest first, streamed as the client reads. */
  CompletableFuture<Response> messages(Request request) {
    Topic topic = existing(topics, request.pathParam("topic"));
    int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    long maxBytes = request.queryLong("max_bytes", DEFAULT_MAX_BYTES, 1, MAX_MAX_BYTES);
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            List<NewestMessages.Pick> picks = NewestMessages.select(topic, limit, maxBytes);
            return Response.stream(200, Response.JSON, new MessageStream(topic, picks, json));
          },
          selections);
    } catch (RejectedExecutionException e) {
      throw HttpError.unavailable("too many /messages requests at once; retry");
    }
  }

  static Topic existing(TopicStore topics, String name) {
    Topic topic = topics.get(name);
    if (topic == null) {
      throw HttpError.notFound("topic '" + name + "' does not exist");
    }
    return topic;
  }

  static long messages(PartitionLog log) {
    return log.highWatermark() - log.logStartOffset();
  }
}
