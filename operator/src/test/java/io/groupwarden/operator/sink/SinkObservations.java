package io.groupwarden.operator.sink;

import io.groupwarden.operator.sink.SinkScaling.Decision;
import io.groupwarden.operator.sink.SinkScaling.Reason;
import java.util.List;

/**
 * Builds what a sink's cycle observed, for the status writer and notices tests: {@code
 * observed().asked(2).running(2).ready(1).decided(followsPartitions(3)).build()}. Until told
 * otherwise the topic has three partitions with a lag of 42, three workers were asked for, run and
 * are ready, and the decision is one worker per partition.
 */
final class SinkObservations {
  static final String SELECTOR = "app.kubernetes.io/instance=orders";

  private int partitions = 3;
  private long lag = 42;
  private int asked = 3;
  private int running = 3;
  private int ready = 3;
  private Decision decision = followsPartitions(3);

  static SinkObservations observed() {
    return new SinkObservations();
  }

  static Decision followsPartitions(int replicas) {
    return new Decision(
        replicas, Reason.FollowsPartitions, "one worker per partition of orders", List.of());
  }

  SinkObservations partitions(int partitions) {
    this.partitions = partitions;
    return this;
  }

  SinkObservations lag(long lag) {
    this.lag = lag;
    return this;
  }

  /** The worker count the StatefulSet asked for before the cycle. */
  SinkObservations asked(int asked) {
    this.asked = asked;
    return this;
  }

  SinkObservations running(int running) {
    this.running = running;
    return this;
  }

  SinkObservations ready(int ready) {
    this.ready = ready;
    return this;
  }

  SinkObservations decided(Decision decision) {
    this.decision = decision;
    return this;
  }

  SinkObservation build() {
    return new SinkObservation(
        partitions, lag, asked, running, ready, decision, "k:9092", SELECTOR);
  }
}
