package io.groupwarden.operator.sink;

import io.groupwarden.operator.common.Futures;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The Kafka topics of a sink: its source topic's size and its dead-letter topic. */
record SinkTopics(Duration timeout) {
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

  /** Creates the dead-letter topic when the cluster lacks it, and says what it found or did. */
  DeadLetterTopic ensureDeadLetterTopic(Admin admin, String topic) {
    try {
      get(admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
      return DeadLetterTopic.existed(topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw unavailable(e.getCause());
      }
    }
    try {
      get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1))).all());
      return DeadLetterTopic.created(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return DeadLetterTopic.existed(topic);
      }
      return DeadLetterTopic.notCreated(topic, e.getCause().getMessage());
    }
  }

  /**
   * The offsets of every partition as a group that has committed nothing sees them: its lag runs
   * from the log start, where the workers of a new group begin.
   */
  List<PartitionSample> uncommitted(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      Map<TopicPartition, ListOffsetsResultInfo> starts = get(admin.listOffsets(earliest).all());
      Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all());
      List<PartitionSample> samples = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        TopicPartition partition = new TopicPartition(topic, p);
        samples.add(
            new PartitionSample(
                topic, p, starts.get(partition).offset(), ends.get(partition).offset(), null));
      }
      return samples;
    } catch (ExecutionException e) {
      throw unavailable(e.getCause());
    }
  }

  private <T> T get(KafkaFuture<T> future) throws ExecutionException {
    return Futures.get(future, timeout, KafkaUnavailableException::new);
  }

  private static KafkaUnavailableException unavailable(Throwable cause) {
    return new KafkaUnavailableException(
        cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
  }
}
