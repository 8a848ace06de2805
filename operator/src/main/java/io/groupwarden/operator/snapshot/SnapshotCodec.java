package io.groupwarden.operator.snapshot;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.TopicRetention;
import io.groupwarden.operator.insight.GroupTrend;
import io.groupwarden.operator.lag.history.GroupImage;
import io.groupwarden.operator.lag.history.GroupImage.PartitionImage;
import io.groupwarden.operator.snapshot.Bytes.MalformedSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot of one group as bytes: its lag history image, its trend and the hysteresis state of
 * its last evaluation. Version 2:
 *
 * <pre>
 * version=2, takenAt, topic dictionary, group image, trend, alerts ({@link AlertsCodec})
 * group image: sequence, times (first, then differences), state, assignor, epoch?, members,
 *   rebalancing, settled epoch? and members? (when rebalancing), rebalance times, partitions
 * partition: topic index, number, size, lastSequence, rewindSequence+1, flags, log ends (first,
 *   then differences), lags (log end − origin), lag seconds (float bits), fromLogStart marks
 *   (FROM_LOG_START), records lost (LOST: per sample log start − origin, or 0; then total, counted
 *   up to, overrun since), last progress (PROGRESS: newest time − it), the newest sample's log start
 *   (as log end − log start) and size, its oldest unconsumed record's time (RECORD_TIME: newest
 *   time − it), its topic's retention (RETENTION: ms? and bytes?)
 * trend: count, then per point time difference, compliance, Gini, score
 * </pre>
 *
 * Version 1 (before records lost, catch-up and hysteresis were kept) is not read: its groups'
 * history builds up again, as it does for any version a reader does not know. The key has a version
 * of its own, unchanged, so that a new snapshot replaces an old one under compaction.
 */
public final class SnapshotCodec {
  static final int VERSION = 2;
  static final int KEY_VERSION = 1;

  private static final int FROM_LOG_START = 1;
  private static final int LOST = 2;
  private static final int PROGRESS = 4;
  private static final int RECORD_TIME = 8;
  private static final int RETENTION = 16;

  private SnapshotCodec() {}

  /**
   * A group's snapshot.
   *
   * @param cluster {@code namespace/policy}
   * @param takenAt when the evaluation it follows sampled the group
   * @param history the group's lag history
   * @param trend the group's evaluated numbers over time, oldest first
   */
  public record GroupSnapshot(
      String cluster, Instant takenAt, GroupImage history, GroupTrend.Point[] trend) {}

  /** The record key of a group's snapshot: its policy and group id. */
  public static byte[] key(String cluster, String groupId) {
    Bytes.Writer out = new Bytes.Writer(cluster.length() + groupId.length() + 4);
    out.varint(KEY_VERSION);
    out.string(cluster);
    out.string(groupId);
    return out.toByteArray();
  }

  /** The policy and group a key names. */
  public record Key(String cluster, String groupId) {}

  public static Key readKey(byte[] key) {
    Bytes.Reader in = new Bytes.Reader(key);
    int version = in.varint();
    if (version != KEY_VERSION) {
      throw new MalformedSnapshot("key version " + version + " is not " + KEY_VERSION);
    }
    return new Key(in.string(), in.string());
  }

  public static byte[] encode(GroupSnapshot snapshot) {
    GroupImage image = snapshot.history();
    int samples = image.times().length;
    Bytes.Writer out = new Bytes.Writer(64 + image.partitions().size() * (8 + samples * 4));
    out.varint(VERSION);
    out.varlong(snapshot.takenAt().toEpochMilli());
    Map<String, Integer> topics = new HashMap<>();
    List<String> dictionary = new ArrayList<>();
    for (PartitionImage p : image.partitions()) {
      topics.computeIfAbsent(p.topic(), t -> add(dictionary, t));
    }
    for (MemberSample m : image.members()) {
      m.assignment().forEach(r -> topics.computeIfAbsent(r.topic(), t -> add(dictionary, t)));
    }
    if (image.settledMembers() != null) {
      for (MemberSample m : image.settledMembers()) {
        m.assignment().forEach(r -> topics.computeIfAbsent(r.topic(), t -> add(dictionary, t)));
      }
    }
    AlertsCodec.topics(image.alerts(), t -> topics.computeIfAbsent(t, x -> add(dictionary, x)));
    out.varint(dictionary.size());
    dictionary.forEach(out::string);

    out.varint(image.sequence());
    deltas(out, image.times());
    out.string(image.state());
    out.string(image.assignor());
    nullableInt(out, image.epoch());
    members(out, image.members(), topics);
    out.bool(image.rebalancing());
    if (image.rebalancing()) {
      nullableInt(out, image.settledEpoch());
      out.bool(image.settledMembers() != null);
      if (image.settledMembers() != null) {
        members(out, image.settledMembers(), topics);
      }
    }
    deltas(out, image.rebalanceTimes());

    out.varint(image.partitions().size());
    for (PartitionImage p : image.partitions()) {
      out.varint(topics.get(p.topic()));
      out.varint(p.partition());
      out.varint(p.size());
      out.varint(p.lastSequence());
      out.varint(p.rewindSequence() + 1);
      PartitionSample newest = p.newest();
      int flags =
          (p.fromLogStart() != null ? FROM_LOG_START : 0)
              | (p.loss() != null ? LOST : 0)
              | (p.lastProgressMillis() >= 0 ? PROGRESS : 0)
              | (newest.oldestUnconsumedTime() != null ? RECORD_TIME : 0)
              | (newest.retention() != null ? RETENTION : 0);
      out.varint(flags);
      long previous = 0;
      for (long end : p.logEnds()) {
        out.zigzag(end - previous);
        previous = end;
      }
      for (int i = 0; i < p.size(); i++) {
        out.zigzag(p.logEnds()[i] - p.origins()[i]);
      }
      for (float seconds : p.lagSeconds()) {
        out.floatBits(seconds);
      }
      if (p.fromLogStart() != null) {
        for (boolean mark : p.fromLogStart()) {
          out.bool(mark);
        }
      }
      long newestTime = image.times()[image.times().length - 1];
      if (p.loss() != null) {
        for (int i = 0; i < p.size(); i++) {
          long lostUpTo = p.lostUpTo() == null ? 0 : p.lostUpTo()[i];
          // a log start above the origin, when records were lost; 0 when none were
          out.zigzag(lostUpTo == 0 ? 0 : lostUpTo - p.origins()[i]);
        }
        out.varlong(p.loss().total());
        out.zigzag(p.loss().countedUpTo());
        out.zigzag(
            p.loss().overrunSinceMillis() < 0 ? -1 : newestTime - p.loss().overrunSinceMillis());
      }
      if (p.lastProgressMillis() >= 0) {
        out.zigzag(newestTime - p.lastProgressMillis());
      }
      out.zigzag(newest.logEndOffset() - newest.logStartOffset());
      out.zigzag(newest.sizeBytes());
      if (newest.oldestUnconsumedTime() != null) {
        out.zigzag(newestTime - newest.oldestUnconsumedTime());
      }
      if (newest.retention() != null) {
        AlertsCodec.nullableLong(out, newest.retention().retentionMillis());
        AlertsCodec.nullableLong(out, newest.retention().retentionBytes());
      }
    }

    GroupTrend.Point[] trend = snapshot.trend();
    out.varint(trend.length);
    long previous = 0;
    for (GroupTrend.Point point : trend) {
      out.zigzag(point.timeMillis() - previous);
      previous = point.timeMillis();
      out.floatBits((float) point.sloCompliance());
      out.floatBits((float) point.fairnessGini());
      out.varint(point.rebalanceScore());
    }
    AlertsCodec.writer(snapshot.takenAt().toEpochMilli(), topics).write(out, image.alerts());
    return out.toByteArray();
  }

  /**
   * Reads a snapshot written by {@link #encode}.
   *
   * @throws IllegalArgumentException when the bytes are not a snapshot of this version
   */
  public static GroupSnapshot decode(String cluster, String groupId, byte[] value) {
    try {
      Bytes.Reader in = new Bytes.Reader(value);
      int version = in.varint();
      if (version != VERSION) {
        throw new MalformedSnapshot("snapshot version " + version + " is not " + VERSION);
      }
      Instant takenAt = Instant.ofEpochMilli(in.varlong());
      int topicCount = in.count();
      String[] dictionary = new String[topicCount];
      for (int i = 0; i < topicCount; i++) {
        dictionary[i] = in.string();
      }
      int sequence = in.varint();
      long[] times = deltas(in);
      String state = in.string();
      String assignor = in.string();
      Integer epoch = nullableInt(in);
      List<MemberSample> members = members(in, dictionary);
      boolean rebalancing = in.bool();
      Integer settledEpoch = null;
      List<MemberSample> settledMembers = null;
      if (rebalancing) {
        settledEpoch = nullableInt(in);
        if (in.bool()) {
          settledMembers = members(in, dictionary);
        }
      }
      long[] rebalanceTimes = deltas(in);

      int partitionCount = in.count();
      List<PartitionImage> partitions = new ArrayList<>(partitionCount);
      for (int i = 0; i < partitionCount; i++) {
        String topic = topic(dictionary, in.varint());
        int partition = in.varint();
        int size = in.count();
        int lastSequence = in.varint();
        int rewindSequence = in.varint() - 1;
        int flags = in.varint();
        if (size == 0 || times.length == 0) {
          throw new MalformedSnapshot("partition " + topic + "-" + partition + " has no sample");
        }
        long[] ends = new long[size];
        long previous = 0;
        for (int s = 0; s < size; s++) {
          ends[s] = previous + in.zigzag();
          previous = ends[s];
        }
        long[] origins = new long[size];
        for (int s = 0; s < size; s++) {
          origins[s] = ends[s] - in.zigzag();
        }
        float[] seconds = new float[size];
        for (int s = 0; s < size; s++) {
          seconds[s] = in.floatBits();
        }
        boolean[] fromLogStart = null;
        if ((flags & FROM_LOG_START) != 0) {
          fromLogStart = new boolean[size];
          for (int s = 0; s < size; s++) {
            fromLogStart[s] = in.bool();
          }
        }
        long newestTime = times[times.length - 1];
        long[] lostUpTo = null;
        GroupImage.Loss loss = null;
        if ((flags & LOST) != 0) {
          lostUpTo = new long[size];
          for (int s = 0; s < size; s++) {
            long above = in.zigzag();
            lostUpTo[s] = above == 0 ? 0 : origins[s] + above;
          }
          long total = in.varlong();
          long countedUpTo = in.zigzag();
          long sinceAgo = in.zigzag();
          loss = new GroupImage.Loss(total, countedUpTo, sinceAgo < 0 ? -1 : newestTime - sinceAgo);
        }
        long lastProgress = (flags & PROGRESS) != 0 ? newestTime - in.zigzag() : -1;
        long logEnd = ends[size - 1];
        long logStart = logEnd - in.zigzag();
        long sizeBytes = in.zigzag();
        Long recordTime = (flags & RECORD_TIME) != 0 ? newestTime - in.zigzag() : null;
        TopicRetention retention =
            (flags & RETENTION) != 0
                ? new TopicRetention(AlertsCodec.nullableLong(in), AlertsCodec.nullableLong(in))
                : null;
        boolean committed = fromLogStart == null || !fromLogStart[size - 1];
        PartitionSample newest =
            new PartitionSample(
                topic,
                partition,
                logStart,
                logEnd,
                committed ? origins[size - 1] : null,
                recordTime,
                sizeBytes,
                retention);
        partitions.add(
            new PartitionImage(
                topic,
                partition,
                ends,
                origins,
                seconds,
                fromLogStart,
                lastSequence,
                rewindSequence,
                lostUpTo,
                loss,
                lastProgress,
                newest));
      }

      int points = in.count();
      GroupTrend.Point[] trend = new GroupTrend.Point[points];
      long previous = 0;
      for (int i = 0; i < points; i++) {
        long time = previous + in.zigzag();
        previous = time;
        trend[i] = new GroupTrend.Point(time, in.floatBits(), in.floatBits(), in.varint());
      }
      GroupAlerts alerts = AlertsCodec.reader(takenAt.toEpochMilli(), dictionary).read(in);
      if (!in.atEnd()) {
        throw new MalformedSnapshot("bytes follow the snapshot");
      }
      GroupImage image =
          new GroupImage(
              groupId,
              sequence,
              times,
              state,
              assignor,
              epoch,
              members,
              rebalancing,
              settledEpoch,
              settledMembers,
              rebalanceTimes,
              partitions,
              alerts);
      return new GroupSnapshot(cluster, takenAt, image, trend);
    } catch (MalformedSnapshot e) {
      throw new IllegalArgumentException(
          "the snapshot of " + cluster + " group " + groupId + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  private static int add(List<String> dictionary, String topic) {
    dictionary.add(topic);
    return dictionary.size() - 1;
  }

  private static String topic(String[] dictionary, int index) {
    if (index < 0 || index >= dictionary.length) {
      throw new MalformedSnapshot("topic index " + index + " is not in the dictionary");
    }
    return dictionary[index];
  }

  private static void deltas(Bytes.Writer out, long[] values) {
    out.varint(values.length);
    long previous = 0;
    for (long value : values) {
      out.zigzag(value - previous);
      previous = value;
    }
  }

  private static long[] deltas(Bytes.Reader in) {
    long[] values = new long[in.count()];
    long previous = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = previous + in.zigzag();
      previous = values[i];
    }
    return values;
  }

  private static void nullableInt(Bytes.Writer out, Integer value) {
    out.bool(value != null);
    if (value != null) {
      out.zigzag(value);
    }
  }

  private static Integer nullableInt(Bytes.Reader in) {
    return in.bool() ? (int) in.zigzag() : null;
  }

  private static void members(
      Bytes.Writer out, List<MemberSample> members, Map<String, Integer> topics) {
    out.varint(members.size());
    for (MemberSample m : members) {
      out.string(m.memberId());
      out.string(m.instanceId());
      out.string(m.clientId());
      out.string(m.host());
      out.varint(m.assignment().size());
      for (PartitionRef ref : m.assignment()) {
        out.varint(topics.get(ref.topic()));
        out.varint(ref.partition());
      }
    }
  }

  private static List<MemberSample> members(Bytes.Reader in, String[] dictionary) {
    int count = in.count();
    List<MemberSample> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String memberId = in.string();
      String instanceId = in.string();
      String clientId = in.string();
      String host = in.string();
      int assigned = in.count();
      List<PartitionRef> assignment = new ArrayList<>(assigned);
      for (int a = 0; a < assigned; a++) {
        assignment.add(new PartitionRef(topic(dictionary, in.varint()), in.varint()));
      }
      members.add(new MemberSample(memberId, instanceId, clientId, host, assignment));
    }
    return members;
  }
}
