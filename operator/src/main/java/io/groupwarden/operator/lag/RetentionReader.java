package io.groupwarden.operator.lag;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.TopicRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a snapshot what retention needs: each topic's limits ({@code retention.ms}, {@code
 * retention.bytes}, {@code cleanup.policy}) from one DescribeConfigs call, and for topics limited
 * in bytes each partition's size from one DescribeLogDirs call to the brokers that lead them.
 *
 * <p>Topic settings rarely change and a DescribeConfigs answer carries every setting of every topic
 * asked for, so the limits read are kept per cluster for {@link #REFRESH} and only topics not read
 * within it are asked for. Whatever cannot be read — a broker that does not implement the call, a
 * denied permission, a slow answer — leaves the limits or sizes unknown ({@code null}, -1), never
 * fails the cycle: the lag was read already.
 */
final class RetentionReader {
  /** How long a topic's limits are trusted before they are read again. */
  static final Duration REFRESH = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(RetentionReader.class);

  private final Duration timeout;
  private final Clock clock;
  private final Map<Admin, Map<String, Read>> limitsByCluster = new WeakHashMap<>();

  private record Read(TopicRetention limits, Instant at) {}

  RetentionReader(Duration timeout, Clock clock) {
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The snapshot with every partition's retention limits and, where they are in bytes, size. */
  LagSnapshot addTo(Admin admin, LagSnapshot snapshot) throws InterruptedException {
    Set<String> topics = new TreeSet<>();
    for (GroupSample group : snapshot.groups()) {
      group.partitions().forEach(p -> topics.add(p.topic()));
    }
    if (topics.isEmpty()) {
      return snapshot;
    }
    Map<String, TopicRetention> limits = limits(admin, topics);
    Set<String> bySize = new TreeSet<>();
    limits.forEach(
        (topic, limit) -> {
          if (limit != null && limit.limitsBytes()) {
            bySize.add(topic);
          }
        });
    Map<TopicPartition, Long> sizes = bySize.isEmpty() ? Map.of() : sizes(admin, bySize);
    return snapshot.withEachPartition(
        partition ->
            partition.withRetention(
                limits.get(partition.topic()),
                sizes.getOrDefault(
                    new TopicPartition(partition.topic(), partition.partition()), -1L)));
  }

  private Map<String, TopicRetention> limits(Admin admin, Set<String> topics)
      throws InterruptedException {
    Instant now = clock.instant();
    Map<String, Read> known;
    synchronized (limitsByCluster) {
      known = limitsByCluster.computeIfAbsent(admin, a -> new HashMap<>());
    }
    Map<String, TopicRetention> limits = new HashMap<>();
    List<ConfigResource> stale = new ArrayList<>();
    synchronized (known) {
      known.values().removeIf(read -> read.at().plus(REFRESH.multipliedBy(2)).isBefore(now));
      for (String topic : topics) {
        Read read = known.get(topic);
        if (read != null && read.at().plus(REFRESH).isAfter(now)) {
          limits.put(topic, read.limits());
        } else {
          stale.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
        }
      }
    }
    if (stale.isEmpty()) {
      return limits;
    }
    Map<ConfigResource, KafkaFuture<Config>> answers;
    try {
      answers = admin.describeConfigs(stale).values();
    } catch (RuntimeException e) {
      LOG.debug("Cannot ask for topic settings: {}", e.toString());
      return limits;
    }
    Map<String, Read> read = new HashMap<>();
    for (Map.Entry<ConfigResource, KafkaFuture<Config>> answer : answers.entrySet()) {
      String topic = answer.getKey().name();
      try {
        TopicRetention limit =
            limitsOf(answer.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        limits.put(topic, limit);
        read.put(topic, new Read(limit, now));
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("No retention settings for topic {}: {}", topic, e.toString());
      }
    }
    synchronized (known) {
      known.putAll(read);
    }
    return limits;
  }

  /** The limits a topic's settings state; null when the broker did not say. */
  static TopicRetention limitsOf(Config config) {
    Long ms = number(config.get(TopicConfig.RETENTION_MS_CONFIG));
    Long bytes = number(config.get(TopicConfig.RETENTION_BYTES_CONFIG));
    if (ms == null && bytes == null) {
      return null;
    }
    ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    return TopicRetention.of(
        policy == null ? null : policy.value(), ms == null ? -1 : ms, bytes == null ? -1 : bytes);
  }

  private static Long number(ConfigEntry entry) {
    if (entry == null || entry.value() == null) {
      return null;
    }
    try {
      return Long.parseLong(entry.value().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The size of each partition of the topics, as its leader holds it. */
  private Map<TopicPartition, Long> sizes(Admin admin, Set<String> topics)
      throws InterruptedException {
    Map<TopicPartition, Integer> leaders = new HashMap<>();
    Set<Integer> brokers = new HashSet<>();
    try {
      Map<String, KafkaFuture<TopicDescription>> described =
          admin.describeTopics(topics).topicNameValues();
      for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : described.entrySet()) {
        TopicDescription description =
            entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicPartitionInfo partition : description.partitions()) {
          Node leader = partition.leader();
          if (leader != null) {
            leaders.put(new TopicPartition(entry.getKey(), partition.partition()), leader.id());
            brokers.add(leader.id());
          }
        }
      }
      Map<TopicPartition, Long> sizes = new HashMap<>();
      Map<Integer, KafkaFuture<Map<String, LogDirDescription>>> dirs =
          admin.describeLogDirs(brokers).descriptions();
      for (Map.Entry<Integer, KafkaFuture<Map<String, LogDirDescription>>> broker :
          dirs.entrySet()) {
        Map<String, LogDirDescription> logDirs =
            broker.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (LogDirDescription dir : logDirs.values()) {
          for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
            Integer leader = leaders.get(replica.getKey());
            if (leader != null
                && leader.equals(broker.getKey())
                && !replica.getValue().isFuture()) {
              sizes.merge(replica.getKey(), replica.getValue().size(), Long::sum);
            }
          }
        }
      }
      return sizes;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("Cannot read partition sizes of {}: {}", topics, e.toString());
      return Map.of();
    }
  }
}
