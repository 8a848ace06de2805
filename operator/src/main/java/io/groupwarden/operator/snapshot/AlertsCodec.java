package io.groupwarden.operator.snapshot;

import io.groupwarden.operator.governance.CatchUp;
import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupEvaluation.StuckPartition;
import io.groupwarden.operator.governance.GroupEvaluation.StuckReason;
import io.groupwarden.operator.governance.GroupEvaluation.UnderProvisioned;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.Latch;
import io.groupwarden.operator.governance.ReplicaEstimator.Estimate;
import io.groupwarden.operator.governance.RetentionRisk;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import io.groupwarden.operator.governance.TopicRetention;
import io.groupwarden.operator.snapshot.Bytes.MalformedSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A group's hysteresis state ({@link GroupAlerts}) in a snapshot, so that a restart or a new leader
 * raises and clears problems where the last evaluation left them: a problem pending for part of its
 * window stays pending, one recovering keeps its recovery time and the subject it shows.
 *
 * <pre>
 * alerts: latch? slo (double), latch? unfair (double), latch? unstable (int),
 *   latch? under-provisioned, stuck latches, overrun latches, loss-risk latches
 * latch: pending since, raised at?, resolved since?, subject
 * partition latches: count, then per latch its partition (topic index, number) and the latch
 * time: milliseconds from the snapshot's time (zig-zag), then the nanoseconds within the millisecond
 * </pre>
 *
 * Partitions are named through the snapshot's topic dictionary; topics only the alerts name are
 * added to it by {@link #topics}.
 */
final class AlertsCodec {
  private final long baseMillis;
  private final Map<String, Integer> topics;
  private final String[] dictionary;

  private AlertsCodec(long baseMillis, Map<String, Integer> topics, String[] dictionary) {
    this.baseMillis = baseMillis;
    this.topics = topics;
    this.dictionary = dictionary;
  }

  static AlertsCodec writer(long baseMillis, Map<String, Integer> topics) {
    return new AlertsCodec(baseMillis, topics, null);
  }

  static AlertsCodec reader(long baseMillis, String[] dictionary) {
    return new AlertsCodec(baseMillis, null, dictionary);
  }

  /** Hands every topic the alerts name to {@code add}, for the snapshot's dictionary. */
  static void topics(GroupAlerts alerts, java.util.function.Consumer<String> add) {
    alerts.stuck().keySet().forEach(ref -> add.accept(ref.topic()));
    alerts.overruns().keySet().forEach(ref -> add.accept(ref.topic()));
    alerts.lossRisks().keySet().forEach(ref -> add.accept(ref.topic()));
    if (alerts.underProvisioned() != null) {
      alerts.underProvisioned().subject().waiting().forEach(ref -> add.accept(ref.topic()));
    }
  }

  void write(Bytes.Writer out, GroupAlerts alerts) {
    latch(out, alerts.sloViolation(), Bytes.Writer::doubleBits);
    latch(out, alerts.unfair(), Bytes.Writer::doubleBits);
    latch(out, alerts.unstable(), (o, v) -> o.zigzag(v));
    latch(out, alerts.underProvisioned(), this::underProvisioned);
    latches(out, alerts.stuck(), this::detection);
    latches(out, alerts.overruns(), this::overrun);
    latches(out, alerts.lossRisks(), this::lossRisk);
  }

  GroupAlerts read(Bytes.Reader in) {
    return new GroupAlerts(
        latch(in, Bytes.Reader::doubleBits),
        latch(in, Bytes.Reader::doubleBits),
        latch(in, r -> (int) r.zigzag()),
        latch(in, this::underProvisioned),
        latches(in, this::detection),
        latches(in, this::overrun),
        latches(in, this::lossRisk));
  }

  // ---- latches ---------------------------------------------------------------------------------

  private <T> void latch(Bytes.Writer out, Latch<T> latch, BiConsumer<Bytes.Writer, T> subject) {
    out.bool(latch != null);
    if (latch == null) {
      return;
    }
    time(out, latch.pendingSince());
    nullableTime(out, latch.raisedAt());
    nullableTime(out, latch.resolvedSince());
    subject.accept(out, latch.subject());
  }

  private <T> Latch<T> latch(Bytes.Reader in, Function<Bytes.Reader, T> subject) {
    if (!in.bool()) {
      return null;
    }
    Instant pendingSince = time(in);
    Instant raisedAt = nullableTime(in);
    Instant resolvedSince = nullableTime(in);
    return new Latch<>(pendingSince, raisedAt, resolvedSince, subject.apply(in));
  }

  private <T> void latches(
      Bytes.Writer out, Map<PartitionRef, Latch<T>> latches, BiConsumer<Bytes.Writer, T> subject) {
    out.varint(latches.size());
    for (Map.Entry<PartitionRef, Latch<T>> entry : latches.entrySet()) {
      ref(out, entry.getKey());
      latch(out, entry.getValue(), subject);
    }
  }

  private <T> Map<PartitionRef, Latch<T>> latches(
      Bytes.Reader in, Function<Bytes.Reader, T> subject) {
    int count = in.count();
    Map<PartitionRef, Latch<T>> latches = new HashMap<>();
    for (int i = 0; i < count; i++) {
      PartitionRef ref = ref(in);
      Latch<T> latch = latch(in, subject);
      if (latch == null) {
        throw new MalformedSnapshot("a partition's latch is missing");
      }
      latches.put(ref, latch);
    }
    return latches;
  }

  // ---- subjects --------------------------------------------------------------------------------

  private void underProvisioned(Bytes.Writer out, UnderProvisioned u) {
    out.varint(u.members());
    out.bool(u.estimate() != null);
    if (u.estimate() != null) {
      out.varint(u.estimate().replicas());
      out.string(u.estimate().because());
    }
    catchUp(out, u.catchUp());
    out.varint(u.waiting().size());
    u.waiting().forEach(ref -> ref(out, ref));
  }

  private UnderProvisioned underProvisioned(Bytes.Reader in) {
    int members = in.varint();
    Estimate estimate = in.bool() ? new Estimate(in.varint(), in.string()) : null;
    CatchUp catchUp = catchUp(in);
    int waitingCount = in.count();
    List<PartitionRef> waiting = new ArrayList<>(waitingCount);
    for (int i = 0; i < waitingCount; i++) {
      waiting.add(ref(in));
    }
    return new UnderProvisioned(members, estimate, catchUp, waiting);
  }

  private static void catchUp(Bytes.Writer out, CatchUp c) {
    out.string(c.state().name());
    out.bool(c.seconds() != null);
    if (c.seconds() != null) {
      out.doubleBits(c.seconds());
    }
    out.doubleBits(c.producedPerSecond());
    out.doubleBits(c.consumedPerSecond());
  }

  private static CatchUp catchUp(Bytes.Reader in) {
    CatchUp.State state = constant(CatchUp.State.class, in.string());
    Double seconds = in.bool() ? in.doubleBits() : null;
    return new CatchUp(state, seconds, in.doubleBits(), in.doubleBits());
  }

  private void detection(Bytes.Writer out, Detection d) {
    StuckPartition s = d.partition();
    ref(out, s.ref());
    time(out, s.since());
    out.zigzag(s.committedOffset());
    out.zigzag(s.lag());
    out.string(s.reason().name());
    out.zigzag(d.arrived());
    out.zigzag(d.rewoundFrom());
    out.zigzag(d.sinceAge());
  }

  private Detection detection(Bytes.Reader in) {
    StuckPartition partition =
        new StuckPartition(
            ref(in), time(in), in.zigzag(), in.zigzag(), constant(StuckReason.class, in.string()));
    return new Detection(partition, in.zigzag(), in.zigzag(), (int) in.zigzag());
  }

  private void overrun(Bytes.Writer out, RetentionOverrun o) {
    ref(out, o.ref());
    out.zigzag(o.committedOffset());
    out.zigzag(o.logStartOffset());
    out.zigzag(o.recordsLost());
    time(out, o.since());
  }

  private RetentionOverrun overrun(Bytes.Reader in) {
    return new RetentionOverrun(ref(in), in.zigzag(), in.zigzag(), in.zigzag(), time(in));
  }

  private void lossRisk(Bytes.Writer out, LossRisk r) {
    ref(out, r.ref());
    out.zigzag(r.lag());
    out.doubleBits(r.ageSeconds());
    TopicRetention retention = r.retention();
    out.bool(retention != null);
    if (retention != null) {
      nullableLong(out, retention.retentionMillis());
      nullableLong(out, retention.retentionBytes());
    }
    out.doubleBits(r.risk().secondsUntilLoss());
    out.string(r.risk().basis().name());
  }

  private LossRisk lossRisk(Bytes.Reader in) {
    PartitionRef ref = ref(in);
    long lag = in.zigzag();
    double age = in.doubleBits();
    TopicRetention retention =
        in.bool() ? new TopicRetention(nullableLong(in), nullableLong(in)) : null;
    RetentionRisk risk =
        new RetentionRisk(in.doubleBits(), constant(RetentionRisk.Basis.class, in.string()));
    return new LossRisk(ref, lag, age, retention, risk);
  }

  // ---- primitives ------------------------------------------------------------------------------

  private void ref(Bytes.Writer out, PartitionRef ref) {
    out.varint(topics.get(ref.topic()));
    out.varint(ref.partition());
  }

  private PartitionRef ref(Bytes.Reader in) {
    int index = in.varint();
    if (index < 0 || index >= dictionary.length) {
      throw new MalformedSnapshot("topic index " + index + " is not in the dictionary");
    }
    return new PartitionRef(dictionary[index], in.varint());
  }

  private void time(Bytes.Writer out, Instant time) {
    out.zigzag(time.toEpochMilli() - baseMillis);
    out.varint(time.getNano() % 1_000_000);
  }

  private Instant time(Bytes.Reader in) {
    long millis = baseMillis + in.zigzag();
    return Instant.ofEpochMilli(millis).plusNanos(in.varint());
  }

  private void nullableTime(Bytes.Writer out, Instant time) {
    out.bool(time != null);
    if (time != null) {
      time(out, time);
    }
  }

  private Instant nullableTime(Bytes.Reader in) {
    return in.bool() ? time(in) : null;
  }

  static void nullableLong(Bytes.Writer out, Long value) {
    out.bool(value != null);
    if (value != null) {
      out.zigzag(value);
    }
  }

  static Long nullableLong(Bytes.Reader in) {
    return in.bool() ? in.zigzag() : null;
  }

  /** Constants are written by name, so that a reordered enum cannot change what is read. */
  private static <E extends Enum<E>> E constant(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, String.valueOf(name));
    } catch (IllegalArgumentException e) {
      throw new MalformedSnapshot("no " + type.getSimpleName() + " named " + name);
    }
  }
}
