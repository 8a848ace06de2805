package io.groupwarden.operator.lag;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.lag.RecordTimeReader.RecordAt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads consumer-group lag from a Kafka cluster with a handful of batched admin calls per cycle:
 * list groups (pattern only), describe the groups and read their committed offsets (each in calls
 * of {@link #GROUPS_PER_CALL} groups), describe their topics, one latest-offsets call and one
 * earliest-offsets call for all partitions (the log start tells records lost to retention from lag,
 * and is where lag of a partition without a committed offset counts from).
 *
 * <p>For a ConsumerGroupPolicy ({@link #collectWithRetention}) the same cycle also reads the
 * topics' retention settings with one DescribeConfigs call, and, for topics whose retention is
 * limited in bytes, the partitions' sizes with one DescribeLogDirs call to the brokers that lead
 * them. What these extra reads cannot get (a broker that does not answer them, a denied permission)
 * leaves the retention unknown and the lag intact.
 */
public final class KafkaLagCollector {
  /**
   * Groups per describe or committed-offsets call. The admin client's bookkeeping of one call grows
   * with the square of its groups (it looks keys up in lists), so thousands of groups in one call
   * cost more CPU than the reads themselves; a few hundred per call keep it linear in the groups at
   * two requests per call.
   */
  static final int GROUPS_PER_CALL = 500;

  /**
   * Group calls of one collection under way at once, so that a collection never floods a broker.
   */
  static final int CALLS_IN_FLIGHT = 4;

  private static final GroupSelector EVERY_TOPIC = new GroupSelector(List.of(), null, Set.of());

  private final Clock clock;
  private final Duration timeout;
  private final int groupsPerCall;

  private final RetentionReader retentionReader;
  private final RecordTimeReader recordTimeReader;

  public KafkaLagCollector(Clock clock, Duration timeout) {
    this(clock, timeout, GROUPS_PER_CALL);
  }

  /** A collector with {@code groupsPerCall} groups per group call, for tests of the chunking. */
  KafkaLagCollector(Clock clock, Duration timeout, int groupsPerCall) {
    if (groupsPerCall < 1) {
      throw new IllegalArgumentException("groupsPerCall must be positive: " + groupsPerCall);
    }
    this.clock = clock;
    this.timeout = timeout;
    this.groupsPerCall = groupsPerCall;
    this.retentionReader = new RetentionReader(timeout, clock);
    this.recordTimeReader = new RecordTimeReader(timeout);
  }

  /**
   * The timestamps of the records at the given offsets, read with one batched fetch; those that
   * could not be read within the timeout are left out.
   *
   * @param consumer a consumer of the cluster without subscriptions
   */
  public Map<RecordAt, Long> recordTimes(Consumer<byte[], byte[]> consumer, Set<RecordAt> wanted) {
    return wanted.isEmpty() ? Map.of() : recordTimeReader.timestamps(consumer, wanted);
  }

  /**
   * Collects one snapshot.
   *
   * @throws KafkaUnavailableException when the cluster cannot be read within the timeout
   */
  public LagSnapshot collect(Admin admin, GroupSelector selector) {
    return collect(admin, selector, false);
  }

  /**
   * Collects one snapshot with each partition's retention limits and, where they are in bytes, its
   * size.
   *
   * @throws KafkaUnavailableException when the cluster cannot be read within the timeout
   */
  public LagSnapshot collectWithRetention(Admin admin, GroupSelector selector) {
    return collect(admin, selector, true);
  }

  /**
   * Collects one snapshot of the named groups and of those matching any of the patterns, with every
   * topic they consume or have offsets for: the reads of many resources at once ({@link
   * SharedLagReads}).
   *
   * @throws KafkaUnavailableException when the cluster cannot be read within the timeout
   */
  public LagSnapshot collectAll(
      Admin admin, Set<String> groups, Collection<Pattern> patterns, boolean retention) {
    return guarded(
        () -> {
          Set<String> ids = new LinkedHashSet<>(groups);
          if (!patterns.isEmpty()) {
            ids.addAll(matchingGroups(admin, patterns));
          }
          LagSnapshot snapshot = read(admin, List.copyOf(ids), EVERY_TOPIC);
          return retention ? retentionReader.addTo(admin, snapshot) : snapshot;
        });
  }

  private LagSnapshot collect(Admin admin, GroupSelector selector, boolean retention) {
    return guarded(
        () -> {
          List<String> groupIds =
              selector.byPattern()
                  ? matchingGroups(admin, List.of(selector.pattern()))
                  : selector.groups();
          LagSnapshot snapshot = read(admin, groupIds, selector);
          return retention ? retentionReader.addTo(admin, snapshot) : snapshot;
        });
  }

  /** A read of the cluster, its failures turned into {@link KafkaUnavailableException}. */
  private interface Read {
    LagSnapshot run() throws ExecutionException, InterruptedException, TimeoutException;
  }

  private LagSnapshot guarded(Read read) {
    try {
      return read.run();
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException(describe(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("no answer within " + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    }
  }

  /** The groups' samples, with the topics {@code selector} keeps. */
  private LagSnapshot read(Admin admin, List<String> groupIds, GroupSelector selector)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (groupIds.isEmpty()) {
      return new LagSnapshot(clock.instant(), List.of(), List.of());
    }

    Map<String, ConsumerGroupDescription> described = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    inChunks(
        groupIds,
        chunk -> admin.describeConsumerGroups(chunk).describedGroups(),
        (chunk, descriptions) -> {
          for (String groupId : chunk) {
            Optional<ConsumerGroupDescription> description =
                describedOrMissing(descriptions.get(groupId));
            if (description.isEmpty() || description.get().groupState() == GroupState.DEAD) {
              missing.add(groupId);
            } else {
              described.put(groupId, description.get());
            }
          }
        });
    if (described.isEmpty()) {
      return new LagSnapshot(clock.instant(), List.of(), missing);
    }

    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
    inChunks(
        List.copyOf(described.keySet()),
        chunk -> {
          Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
          chunk.forEach(id -> specs.put(id, new ListConsumerGroupOffsetsSpec()));
          return admin.listConsumerGroupOffsets(specs);
        },
        (chunk, offsets) -> {
          for (String groupId : chunk) {
            committed.put(groupId, get(offsets.partitionsToOffsetAndMetadata(groupId)));
          }
        });

    Map<String, Set<String>> topicsByGroup = new HashMap<>();
    Set<String> allTopics = new TreeSet<>();
    for (var entry : described.entrySet()) {
      Set<String> topics = new TreeSet<>();
      committed.get(entry.getKey()).keySet().forEach(tp -> topics.add(tp.topic()));
      for (MemberDescription member : entry.getValue().members()) {
        member.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic()));
      }
      topics.removeIf(topic -> !selector.keepsTopic(topic));
      topicsByGroup.put(entry.getKey(), topics);
      allTopics.addAll(topics);
    }

    Map<String, Integer> partitionCounts = partitionCounts(admin, allTopics);
    Map<TopicPartition, OffsetSpec> latestRequest = new HashMap<>();
    partitionCounts.forEach(
        (topic, count) -> {
          for (int p = 0; p < count; p++) {
            latestRequest.put(new TopicPartition(topic, p), OffsetSpec.latest());
          }
        });
    Map<TopicPartition, Long> latest = offsets(admin, latestRequest);

    Map<TopicPartition, OffsetSpec> earliestRequest = new HashMap<>();
    latestRequest.keySet().forEach(tp -> earliestRequest.put(tp, OffsetSpec.earliest()));
    Map<TopicPartition, Long> earliest = offsets(admin, earliestRequest);
    // by topic and partition number: thousands of groups look up the same few hundred partitions
    Map<String, long[]> logEnd = byTopic(latest, partitionCounts, 0L);
    Map<String, long[]> logStart = byTopic(earliest, partitionCounts, -1L);

    Instant time = clock.instant();
    List<GroupSample> samples = new ArrayList<>();
    for (var entry : described.entrySet()) {
      String groupId = entry.getKey();
      samples.add(
          sample(
              groupId,
              time,
              entry.getValue(),
              topicsByGroup.get(groupId),
              partitionCounts,
              committed.get(groupId),
              logEnd,
              logStart,
              selector));
    }
    return new LagSnapshot(time, samples, missing);
  }

  private GroupSample sample(
      String groupId,
      Instant time,
      ConsumerGroupDescription description,
      Set<String> topics,
      Map<String, Integer> partitionCounts,
      Map<TopicPartition, OffsetAndMetadata> committed,
      Map<String, long[]> logEnd,
      Map<String, long[]> logStart,
      GroupSelector selector) {
    List<MemberSample> members = new ArrayList<>();
    for (MemberDescription member : description.members()) {
      List<PartitionRef> assignment =
          member.assignment().topicPartitions().stream()
              .filter(tp -> selector.keepsTopic(tp.topic()))
              .map(tp -> new PartitionRef(tp.topic(), tp.partition()))
              .sorted()
              .toList();
      members.add(
          new MemberSample(
              member.consumerId(),
              member.groupInstanceId().orElse(null),
              member.clientId(),
              member.host(),
              assignment));
    }
    List<PartitionSample> partitions = new ArrayList<>();
    for (String topic : topics) {
      Integer count = partitionCounts.get(topic);
      if (count == null) {
        continue; // the topic was deleted
      }
      long[] starts = logStart.get(topic);
      long[] ends = logEnd.get(topic);
      for (int p = 0; p < count; p++) {
        OffsetAndMetadata offset =
            committed.isEmpty() ? null : committed.get(new TopicPartition(topic, p));
        partitions.add(
            new PartitionSample(
                topic, p, starts[p], ends[p], offset == null ? null : offset.offset()));
      }
    }
    return new GroupSample(
        groupId,
        time,
        stateName(description.groupState()),
        description.partitionAssignor() == null ? "" : description.partitionAssignor(),
        description.groupEpoch().orElse(null),
        members,
        partitions);
  }

  private List<String> matchingGroups(Admin admin, Collection<Pattern> patterns)
      throws ExecutionException, InterruptedException, TimeoutException {
    // Filter on the client side: older brokers and the coordinator broker may not accept the
    // group-type filter of newer ListGroups versions.
    Collection<GroupListing> listings = get(admin.listGroups().all());
    return listings.stream()
        .filter(KafkaLagCollector::isConsumerGroup)
        .map(GroupListing::groupId)
        .filter(id -> patterns.stream().anyMatch(p -> p.matcher(id).matches()))
        .sorted()
        .toList();
  }

  private static boolean isConsumerGroup(GroupListing listing) {
    Optional<GroupType> type = listing.type();
    if (type.isPresent() && type.get() != GroupType.CLASSIC && type.get() != GroupType.CONSUMER) {
      return false;
    }
    String protocol = listing.protocol();
    return protocol == null || protocol.isEmpty() || protocol.equals("consumer");
  }

  private Optional<ConsumerGroupDescription> describedOrMissing(
      KafkaFuture<ConsumerGroupDescription> future)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      return Optional.of(get(future));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Each topic's offsets by partition number; {@code absent} where the broker gave none. */
  private static Map<String, long[]> byTopic(
      Map<TopicPartition, Long> offsets, Map<String, Integer> partitionCounts, long absent) {
    Map<String, long[]> byTopic = new HashMap<>();
    partitionCounts.forEach(
        (topic, count) -> {
          long[] values = new long[count];
          Arrays.fill(values, absent);
          byTopic.put(topic, values);
        });
    offsets.forEach(
        (tp, offset) -> {
          long[] values = byTopic.get(tp.topic());
          if (values != null && tp.partition() < values.length) {
            values[tp.partition()] = offset;
          }
        });
    return byTopic;
  }

  /** Takes the answers of one group call, for the groups of its chunk. */
  private interface ChunkAnswers<R> {
    void take(List<String> chunk, R answers)
        throws ExecutionException, InterruptedException, TimeoutException;
  }

  /**
   * Makes {@code call} for the groups in chunks of {@link #groupsPerCall}, with at most {@link
   * #CALLS_IN_FLIGHT} calls under way, and hands each call's answers to {@code take} in the order
   * of the groups.
   */
  private <R> void inChunks(
      List<String> groupIds, Function<List<String>, R> call, ChunkAnswers<R> take)
      throws ExecutionException, InterruptedException, TimeoutException {
    Deque<List<String>> waiting = new ArrayDeque<>();
    for (int from = 0; from < groupIds.size(); from += groupsPerCall) {
      waiting.add(groupIds.subList(from, Math.min(groupIds.size(), from + groupsPerCall)));
    }
    Deque<Map.Entry<List<String>, R>> underWay = new ArrayDeque<>();
    while (!waiting.isEmpty() || !underWay.isEmpty()) {
      while (!waiting.isEmpty() && underWay.size() < CALLS_IN_FLIGHT) {
        List<String> chunk = waiting.poll();
        underWay.add(Map.entry(chunk, call.apply(chunk)));
      }
      Map.Entry<List<String>, R> oldest = underWay.poll();
      take.take(oldest.getKey(), oldest.getValue());
    }
  }

  private Map<String, Integer> partitionCounts(Admin admin, Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, Integer> counts = new HashMap<>();
    if (topics.isEmpty()) {
      return counts;
    }
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin.describeTopics(topics).topicNameValues();
    for (var entry : futures.entrySet()) {
      try {
        counts.put(entry.getKey(), get(entry.getValue()).partitions().size());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    return counts;
  }

  private Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> request)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, Long> result = new HashMap<>();
    if (request.isEmpty()) {
      return result;
    }
    Map<TopicPartition, ListOffsetsResultInfo> infos = get(admin.listOffsets(request).all());
    infos.forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  private <T> T get(KafkaFuture<T> future)
      throws ExecutionException, InterruptedException, TimeoutException {
    return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Kafka's state names as users know them from kafka-consumer-groups.sh. */
  static String stateName(GroupState state) {
    if (state == null) {
      return "Unknown";
    }
    return state.toString();
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
