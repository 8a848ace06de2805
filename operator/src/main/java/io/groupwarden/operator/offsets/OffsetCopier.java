package io.groupwarden.operator.offsets;

import io.groupwarden.common.KubeDuration;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Copies consumer groups' committed offsets from one Kafka cluster to another with the Admin API.
 *
 * <p>The offsets are copied as they are, so they are right only where the target's partitions hold
 * the same records at the same offsets. What can be checked is checked before anything is written:
 * no consumer of the group is running on either side (a running source consumer would commit past
 * the copy; a running target consumer would be overwritten under its feet), every partition exists
 * on the target, and no offset points past the end of the target's partition (the records were not
 * copied yet). A group that fails a check is refused as a whole.
 */
public final class OffsetCopier implements AutoCloseable {
  private final Admin source;
  private final Admin target;
  private final CopyRequest request;

  private OffsetCopier(Admin source, Admin target, CopyRequest request) {
    this.source = source;
    this.target = target;
    this.request = request;
  }

  /** Connects to both clusters (lazily: the first request reaches them). */
  public static OffsetCopier connect(CopyRequest request) throws IOException {
    Admin source = Admin.create(clientProperties(request.from(), request.fromConfig(), request));
    try {
      Admin target = Admin.create(clientProperties(request.to(), request.toConfig(), request));
      return new OffsetCopier(source, target, request);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  static Properties clientProperties(String bootstrap, Path file, CopyRequest request)
      throws IOException {
    Properties properties = new Properties();
    if (file != null) {
      try (Reader in = Files.newBufferedReader(file)) {
        properties.load(in);
      }
    }
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "groupwarden-copy-offsets");
    int millis = (int) Math.min(Integer.MAX_VALUE, request.timeout().toMillis());
    properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis));
    return properties;
  }

  /** Copies one group, or refuses it; throws only when interrupted. */
  public GroupCopy copy(String group) throws InterruptedException {
    try {
      return copyChecked(group);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return GroupCopy.refused(
          group,
          "a request failed: "
              + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
    }
  }

  private GroupCopy copyChecked(String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    String inUse =
        inUse(
            source,
            group,
            "the source " + request.from(),
            "stop its consumers first, or what they commit after the copy is lost");
    if (inUse == null) {
      inUse =
          inUse(
              target,
              group,
              "the target " + request.to(),
              "a group in use there is never overwritten");
    }
    if (inUse != null) {
      return GroupCopy.refused(group, inUse);
    }
    Map<TopicPartition, Long> committed = committedOffsets(source, group);
    committed.values().removeIf(offset -> offset < 0);
    if (committed.isEmpty()) {
      return GroupCopy.refused(
          group, "it has no committed offsets on the source " + request.from());
    }
    String missing = missingOnTarget(committed.keySet());
    if (missing != null) {
      return GroupCopy.refused(group, missing);
    }
    Map<TopicPartition, Long> ends = endOffsets(committed.keySet());
    for (var entry : committed.entrySet()) {
      long end = ends.getOrDefault(entry.getKey(), 0L);
      if (entry.getValue() > end) {
        return GroupCopy.refused(
            group,
            "partition "
                + entry.getKey()
                + " ends at offset "
                + end
                + " on the target but the group committed "
                + entry.getValue()
                + " on the source; copy the topic's records first");
      }
    }
    Map<TopicPartition, Long> previous = committedOffsets(target, group);
    previous.keySet().retainAll(committed.keySet());
    if (!request.dryRun()) {
      // no leader epoch: the source's epochs mean nothing on another cluster
      Map<TopicPartition, OffsetAndMetadata> offsets =
          committed.entrySet().stream()
              .collect(
                  Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue())));
      get(target.alterConsumerGroupOffsets(group, offsets).all());
    }
    return new GroupCopy(group, committed, previous, null);
  }

  /** The group's committed offsets on one side, of the partitions it has one for. */
  private Map<TopicPartition, Long> committedOffsets(Admin admin, String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(group))
        .forEach(
            (partition, offset) -> {
              if (offset != null) {
                offsets.put(partition, offset.offset());
              }
            });
    return offsets;
  }

  /** Why the group may not be copied while it has members on one side, or null when it has none. */
  private String inUse(Admin admin, String group, String side, String advice)
      throws InterruptedException, ExecutionException, TimeoutException {
    int members = activeMembers(admin, group);
    return members == 0 ? null : members + " active member(s) on " + side + "; " + advice;
  }

  private int activeMembers(Admin admin, String group)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      ConsumerGroupDescription description =
          get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
      return description.members().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0;
      }
      throw e;
    }
  }

  private String missingOnTarget(Set<TopicPartition> partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> topics = new HashSet<>();
    partitions.forEach(p -> topics.add(p.topic()));
    for (String topic : topics) {
      TopicDescription description;
      try {
        description = get(target.describeTopics(List.of(topic)).topicNameValues().get(topic));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          return "topic " + topic + " does not exist on the target " + request.to();
        }
        throw e;
      }
      int needed =
          partitions.stream()
                  .filter(p -> p.topic().equals(topic))
                  .mapToInt(TopicPartition::partition)
                  .max()
                  .orElse(0)
              + 1;
      if (description.partitions().size() < needed) {
        return "topic "
            + topic
            + " has "
            + description.partitions().size()
            + " partition(s) on the target but the group has offsets for "
            + needed;
      }
    }
    return null;
  }

  private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    get(target.listOffsets(latest).all()).forEach((p, info) -> ends.put(p, info.offset()));
    return ends;
  }

  private <T> T get(KafkaFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(request.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  static Duration parseTimeout(String text) {
    return KubeDuration.parse(text);
  }

  @Override
  public void close() {
    source.close(Duration.ofSeconds(5));
    target.close(Duration.ofSeconds(5));
  }
}
