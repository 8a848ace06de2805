package io.groupwarden.operator.snapshot;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
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
 * The snapshot of one group as bytes: its lag history image and its trend. Version 1:
 *
 * <pre>
 * version=1, takenAt, topic dictionary, group image, trend
 * group image: sequence, times (first, then differences), state, assignor, epoch?, members,
 *   rebalancing, settled epoch? and members? (when rebalancing), rebalance times, partitions
 * partition: topic index, number, size, lastSequence, rewindSequence+1, flags (fromLogStart),
 *   log ends (first, then differences), lags (log end − origin), lag seconds (float bits),
 *   fromLogStart marks (when flagged)
 * trend: count, then per point time difference, compliance, Gini, score
 * </pre>
 *
 * A reader refuses another version rather than guess; the snapshot is then skipped and the group's
 * history builds up again.
 */
public final class SnapshotCodec {
  static final int VERSION = 1;

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
    out.varint(VERSION);
    out.string(cluster);
    out.string(groupId);
    return out.toByteArray();
  }

  /** The policy and group a key names. */
  public record Key(String cluster, String groupId) {}

  public static Key readKey(byte[] key) {
    Bytes.Reader in = new Bytes.Reader(key);
    int version = in.varint();
    if (version != VERSION) {
      throw new MalformedSnapshot("key version " + version + " is not " + VERSION);
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
      out.bool(p.fromLogStart() != null);
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
        boolean marked = in.bool();
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
        if (marked) {
          fromLogStart = new boolean[size];
          for (int s = 0; s < size; s++) {
            fromLogStart[s] = in.bool();
          }
        }
        partitions.add(
            new PartitionImage(
                topic,
                partition,
                ends,
                origins,
                seconds,
                fromLogStart,
                lastSequence,
                rewindSequence));
      }

      int points = in.count();
      GroupTrend.Point[] trend = new GroupTrend.Point[points];
      long previous = 0;
      for (int i = 0; i < points; i++) {
        long time = previous + in.zigzag();
        previous = time;
        trend[i] = new GroupTrend.Point(time, in.floatBits(), in.floatBits(), in.varint());
      }
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
              partitions);
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
