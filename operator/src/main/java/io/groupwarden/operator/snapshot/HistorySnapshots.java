package io.groupwarden.operator.snapshot;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.insight.GroupTrend;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.history.HistoryCapacity;
import io.groupwarden.operator.lag.history.LagHistory;
import io.groupwarden.operator.snapshot.SnapshotCodec.GroupSnapshot;
import io.groupwarden.operator.snapshot.SnapshotCodec.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each policy's lag history, rebalance log, stuck-partition runs and trends across restarts
 * and leader changes: the leader writes a compact snapshot of every group after each evaluation to
 * a compacted topic on the governed cluster, keyed by policy and group, so the topic always holds
 * the newest snapshot of each; a new leader reads it back before its first evaluation; a standby
 * replica follows it to serve the insight API.
 *
 * <p>Writing every group every cycle would cost more than the cycle itself at ten thousand groups,
 * so each cycle writes the groups whose turn it is: every group at least once per {@code every}
 * (staggered by group), a group seen for the first time at once, and every group when the replica
 * stops. A planned restart or rollout so loses nothing; a crash loses at most {@code every} of
 * samples, which the windows bridge (a stuck partition's run goes on across a gap).
 *
 * <p>Snapshots are a convenience, never a condition: a cluster where the topic cannot be created,
 * written or read leaves the history in memory only, with a warning, and evaluation goes on.
 */
public final class HistorySnapshots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySnapshots.class);
  private static final Duration WARN_EVERY = Duration.ofMinutes(10);

  private final String topicName;
  private final Duration timeout;
  private final InsightStore store;
  private final Duration every;
  private final Map<String, PolicyLog> logs = new ConcurrentHashMap<>();
  // One producer and one consumer per cluster, whichever policies govern it: a client per policy
  // cost a network thread and connections each, hundreds at a thousand policies.
  private final Map<KafkaConnection, SharedTopic> topics = new HashMap<>();

  /** A cluster's snapshot topic and how many policy logs use it. */
  private static final class SharedTopic {
    final SnapshotTopic topic;
    int users;

    SharedTopic(SnapshotTopic topic) {
      this.topic = topic;
    }
  }

  /**
   * @param topicName the topic on each governed cluster; null or blank keeps history in memory
   * @param timeout how long one Kafka request may take
   * @param store where restored trends go
   * @param every how old a group's newest snapshot may get
   */
  public HistorySnapshots(String topicName, Duration timeout, InsightStore store, Duration every) {
    this.topicName = topicName == null || topicName.isBlank() ? null : topicName.strip();
    this.timeout = timeout;
    this.store = store;
    this.every = every;
  }

  public boolean enabled() {
    return topicName != null;
  }

  /** What a policy's snapshots hold, as far as they were read. */
  private static final class PolicyLog {
    final SnapshotTopic topic;
    final Set<String> written = new HashSet<>();
    Map<TopicPartition, Long> positions = Map.of();
    LagHistory history;
    Instant takenAt;
    Instant lastWritten;
    Instant lastWarning;
    long bytesWritten;
    long cycles;
    // what the last write saw, so that stopping writes everything once more
    LagHistory lastHistory;
    Admin lastAdmin;
    PolicySettings lastSettings;

    PolicyLog(SnapshotTopic topic) {
      this.topic = topic;
    }
  }

  /**
   * The history of a policy that this replica is about to evaluate for the first time: what the
   * snapshot topic holds of it, read to its end (continuing from where following it stopped, on a
   * replica that stood by). A topic that cannot be created or read (no permission, a broker that
   * refuses it) gives an empty history, with a warning.
   *
   * @throws KafkaUnavailableException when the cluster does not answer: the evaluation could not
   *     sample it either, and the next attempt restores again
   */
  public LagHistory restore(
      String cluster, Admin admin, KafkaConnection connection, PolicySettings settings) {
    LagHistory fresh = LagHistory.sizedFor(settings);
    if (!enabled()) {
      return fresh;
    }
    PolicyLog log = log(cluster, connection);
    long started = System.nanoTime();
    synchronized (log) {
      try {
        log.topic.ensure(admin, retention(settings));
        LagHistory history = log.history != null ? log.history : fresh;
        history.resizeFor(settings);
        catchUp(cluster, log, history);
        log.history = null; // the reconciler owns it from now on
        LOG.info(
            "Restored the history of {} group(s) of {} from {} on {} in {} ms",
            history.groupIds().size(),
            cluster,
            topicName,
            connection,
            (System.nanoTime() - started) / 1_000_000);
        return history;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaUnavailableException("interrupted", e);
      } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
        throw new KafkaUnavailableException("no answer within " + timeout.toSeconds() + "s", e);
      } catch (ExecutionException | KafkaException e) {
        if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
          throw new KafkaUnavailableException(
              "no answer within " + timeout.toSeconds() + "s", e.getCause());
        }
        warn(log, cluster, "cannot be restored", e);
      }
      return fresh;
    }
  }

  /**
   * Writes the snapshots of the groups whose turn it is (see the class comment), and deletes the
   * snapshots of groups the history no longer holds. Sends are asynchronous; the encoding is what
   * the caller's cycle pays.
   *
   * @param takenAt when the evaluation that precedes it sampled the groups
   */
  public void write(
      String cluster,
      Admin admin,
      KafkaConnection connection,
      LagHistory history,
      PolicySettings settings,
      Instant takenAt) {
    if (!enabled()) {
      return;
    }
    PolicyLog log = log(cluster, connection);
    synchronized (log) {
      if (takenAt.equals(log.lastWritten)) {
        return; // an early reconcile re-evaluated the same sample
      }
      log.lastWritten = takenAt;
      log.lastHistory = history;
      log.lastAdmin = admin;
      log.lastSettings = settings;
      long turns = Math.max(1, -Math.floorDiv(-every.toMillis(), settings.interval().toMillis()));
      long turn = log.cycles++ % turns;
      writeGroups(
          cluster,
          log,
          history,
          settings,
          takenAt,
          group -> !log.written.contains(group) || Math.floorMod(group.hashCode(), turns) == turn);
    }
  }

  private void writeGroups(
      String cluster,
      PolicyLog log,
      LagHistory history,
      PolicySettings settings,
      Instant takenAt,
      java.util.function.Predicate<String> due) {
    try {
      log.topic.ensure(log.lastAdmin, retention(settings));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      warn(log, cluster, "cannot be written", e);
      return;
    }
    List<String> tooLarge = new ArrayList<>();
    history.images(
        due,
        image -> {
          GroupTrend.Point[] trend =
              store
                  .trend(cluster, image.groupId())
                  .map(GroupTrend::points)
                  .orElse(new GroupTrend.Point[0]);
          byte[] value = SnapshotCodec.encode(new GroupSnapshot(cluster, takenAt, image, trend));
          if (value.length > SnapshotTopic.MAX_RECORD_BYTES - 1024) {
            tooLarge.add(image.groupId());
            return;
          }
          log.topic.send(SnapshotCodec.key(cluster, image.groupId()), value);
          log.bytesWritten += value.length;
          log.written.add(image.groupId());
        });
    Set<String> present = history.groupIds();
    for (String gone : new ArrayList<>(log.written)) {
      if (!present.contains(gone)) {
        log.topic.send(SnapshotCodec.key(cluster, gone), null);
        log.written.remove(gone);
      }
    }
    if (!tooLarge.isEmpty()) {
      warn(
          log,
          cluster,
          "is kept in memory only for groups too large for one record: " + tooLarge,
          null);
    }
  }

  /** Deletes every snapshot of a policy that is no longer governed, and closes its clients. */
  public void forget(String cluster) {
    PolicyLog log = logs.remove(cluster);
    if (log == null) {
      return;
    }
    synchronized (log) {
      for (String group : log.written) {
        log.topic.send(SnapshotCodec.key(cluster, group), null);
      }
      log.topic.flush();
      release(log.topic);
    }
  }

  /**
   * What a standby replica serves of a policy: the snapshots read so far, brought up to the end of
   * the topic.
   *
   * @param history the groups' lag histories
   * @param takenAt when the newest snapshot was taken, or null when there is none
   * @param samples each group's newest sample
   */
  public record Followed(LagHistory history, Instant takenAt, List<GroupSample> samples) {}

  /**
   * Reads what was added to a policy's snapshots since the last call (on a standby replica).
   *
   * @return empty when snapshots are off or the topic cannot be read
   */
  public Optional<Followed> follow(
      String cluster, KafkaConnection connection, PolicySettings settings) {
    if (!enabled()) {
      return Optional.empty();
    }
    PolicyLog log = log(cluster, connection);
    synchronized (log) {
      if (log.history == null) {
        log.history = LagHistory.sizedFor(settings);
      }
      log.history.resizeFor(settings);
      try {
        catchUp(cluster, log, log.history);
      } catch (KafkaException e) {
        warn(log, cluster, "cannot be followed", e);
        return Optional.empty();
      }
      List<GroupSample> samples = new ArrayList<>();
      for (String group : log.history.groupIds()) {
        log.history.read(group, timeline -> timeline.latest()).ifPresent(samples::add);
      }
      return Optional.of(new Followed(log.history, log.takenAt, samples));
    }
  }

  /** Stops following policies that are no longer listed, closing their clients. */
  public void retainOnly(Set<String> clusters) {
    for (String cluster : new ArrayList<>(logs.keySet())) {
      if (!clusters.contains(cluster)) {
        PolicyLog log = logs.remove(cluster);
        if (log != null) {
          release(log.topic);
        }
      }
    }
  }

  /** Bytes of snapshots written for a policy since this replica started (for tests and logs). */
  public long bytesWritten(String cluster) {
    PolicyLog log = logs.get(cluster);
    return log == null ? 0 : log.bytesWritten;
  }

  /** Waits until everything sent has been written (for tests and shutdown). */
  public void flush() {
    logs.values().forEach(log -> log.topic.flush());
  }

  private void catchUp(String cluster, PolicyLog log, LagHistory history) {
    Map<String, Instant> newest = new HashMap<>();
    Optional<Map<TopicPartition, Long>> reached =
        log.topic.read(
            log.positions,
            (keyBytes, value) -> {
              Key key;
              try {
                key = SnapshotCodec.readKey(keyBytes);
              } catch (RuntimeException e) {
                return; // another version's record, or not ours
              }
              if (!key.cluster().equals(cluster)) {
                return;
              }
              if (value == null) {
                history.remove(key.groupId());
                newest.remove(key.groupId());
                return;
              }
              GroupSnapshot snapshot;
              try {
                snapshot = SnapshotCodec.decode(cluster, key.groupId(), value);
              } catch (IllegalArgumentException e) {
                LOG.warn("{}; its history builds up again", e.getMessage());
                return;
              }
              Instant before = newest.get(key.groupId());
              if (before != null && before.isAfter(snapshot.takenAt())) {
                return;
              }
              newest.put(key.groupId(), snapshot.takenAt());
              history.restore(snapshot.history());
              GroupTrend trend = new GroupTrend(HistoryCapacity.MIN_INTERPOLATION_SAMPLES);
              trend = trend.resized(Math.max(trend.capacity(), history.capacity().samples()));
              for (GroupTrend.Point point : snapshot.trend()) {
                trend.add(point);
              }
              store.restoreTrend(cluster, key.groupId(), trend);
              if (log.takenAt == null || snapshot.takenAt().isAfter(log.takenAt)) {
                log.takenAt = snapshot.takenAt();
              }
            });
    log.positions = reached.orElse(Map.of());
  }

  /**
   * How long a topic that cannot compact keeps snapshots: several evaluations, 10 minutes or more.
   */
  private static Duration retention(PolicySettings settings) {
    Duration several = settings.interval().multipliedBy(20);
    return several.compareTo(Duration.ofMinutes(10)) > 0 ? several : Duration.ofMinutes(10);
  }

  private PolicyLog log(String cluster, KafkaConnection connection) {
    PolicyLog existing = logs.get(cluster);
    if (existing != null && existing.topic.connection().equals(connection)) {
      return existing;
    }
    PolicyLog created = new PolicyLog(acquire(connection));
    PolicyLog replaced = logs.put(cluster, created);
    if (replaced != null) {
      release(replaced.topic);
    }
    return created;
  }

  private SnapshotTopic acquire(KafkaConnection connection) {
    synchronized (topics) {
      SharedTopic shared =
          topics.computeIfAbsent(
              connection, c -> new SharedTopic(new SnapshotTopic(topicName, c, timeout)));
      shared.users++;
      return shared.topic;
    }
  }

  /** Closes a cluster's topic clients when the last policy log using them is gone. */
  private void release(SnapshotTopic topic) {
    synchronized (topics) {
      SharedTopic shared = topics.get(topic.connection());
      if (shared == null || shared.topic != topic || --shared.users > 0) {
        return;
      }
      topics.remove(topic.connection());
    }
    topic.close();
  }

  /** The clusters whose snapshot topic clients are open (for tests). */
  int openTopics() {
    synchronized (topics) {
      return topics.size();
    }
  }

  private void warn(PolicyLog log, String cluster, String what, Exception e) {
    Instant now = Instant.now();
    if (log.lastWarning == null || log.lastWarning.plus(WARN_EVERY).isBefore(now)) {
      log.lastWarning = now;
      LOG.warn(
          "The history of {} {} (topic {} on {}){}",
          cluster,
          what,
          topicName,
          log.topic.connection(),
          e == null ? "" : ": " + e);
    }
  }

  /** Writes every group of every policy this replica evaluates, then closes the clients. */
  @Override
  public void close() {
    for (Map.Entry<String, PolicyLog> entry : logs.entrySet()) {
      PolicyLog log = entry.getValue();
      synchronized (log) {
        if (log.lastHistory != null && log.lastWritten != null) {
          writeGroups(
              entry.getKey(), log, log.lastHistory, log.lastSettings, log.lastWritten, g -> true);
          log.topic.flush();
        }
      }
    }
    logs.clear();
    List<SnapshotTopic> open;
    synchronized (topics) {
      open = topics.values().stream().map(shared -> shared.topic).toList();
      topics.clear();
    }
    open.forEach(SnapshotTopic::close);
  }
}
