package io.groupwarden.operator.sink;

import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The Kafka topics of a sink: its source topic's size and its dead-letter topic. */
final class SinkTopics {
  private final Duration timeout;

  SinkTopics(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The partition count of the sink's topic.
   *
   * @throws SpecProblem TopicNotFound when the topic does not exist
   */
  int partitions(Admin admin, String topic) {
    try {
      return get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic))
          .partitions()
          .size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new SpecProblem(
            "TopicNotFound", "spec.kafka.topic: topic " + topic + " does not exist");
      }
      throw unavailable(e.getCause());
    }
  }

  /**
   * Creates the dead-letter topic when the cluster lacks it.
   *
   * @return a sentence saying what was done, or null when the topic existed
   */
  String ensureDeadLetterTopic(Admin admin, String topic) {
    try {
      get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
      return null;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw unavailable(e.getCause());
      }
    }
    try {
      get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1))).all());
      return "created dead-letter topic " + topic;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return null;
      }
      // Creation refused (authorization, policy): the workers still dead-letter to it, and a
      // cluster with topic auto-creation makes it on first use.
      return "could not create dead-letter topic " + topic + ": " + e.getCause().getMessage();
    }
  }

  /** Messages from the log start to the log end of every partition: the lag of a new group. */
  long backlog(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      long start = 0;
      for (var info : get(admin.listOffsets(earliest).all()).values()) {
        start += info.offset();
      }
      long end = 0;
      for (var info : get(admin.listOffsets(latest).all()).values()) {
        end += info.offset();
      }
      return Math.max(0, end - start);
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    }
  }

  private <T> T get(KafkaFuture<T> future) throws ExecutionException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("no answer within " + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    }
  }

  private static KafkaUnavailableException unavailable(Throwable cause) {
    return new KafkaUnavailableException(
        cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
  }
}
