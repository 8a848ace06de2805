package io.groupwarden.coordinator.metrics;

import io.groupwarden.coordinator.group.GroupMetrics;
import io.groupwarden.coordinator.net.EdgeMetrics;
import io.groupwarden.coordinator.txn.TransactionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The broker's Prometheus metrics, under the names in the design. */
public final class CoordinatorMetrics implements GroupMetrics, EdgeMetrics, TransactionMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter rebalances;
  private final Timer rebalanceDuration;
  private final Counter offsetCommits;
  private final Counter heartbeats;
  private final Counter memberTimeouts;
  private final Counter transactionsCommitted;
  private final Counter transactionsAborted;
  private final Counter transactionsTimedOut;

  public CoordinatorMetrics() {
    rebalances =
        counter(
            "coordinator.rebalances",
            "rebalances: a classic group's generation that became stable, or a consumer"
                + " group's epoch bump");
    rebalanceDuration =
        Timer.builder("coordinator.rebalance.duration")
            .description(
                "time from the start of a rebalance until the group is stable (every member of a"
                    + " consumer group reconciled)")
            .register(registry);
    offsetCommits = counter("coordinator.offset.commits", "committed partition offsets");
    heartbeats = counter("coordinator.heartbeats", "heartbeats received");
    memberTimeouts =
        counter("coordinator.member.timeouts", "members removed because their session timed out");
    transactionsCommitted =
        counter(
            "coordinator.transactions.committed", "transactions committed (every marker written)");
    transactionsAborted =
        counter(
            "coordinator.transactions.aborted",
            "transactions aborted, by their producer or by the coordinator (timed-out ones"
                + " included)");
    transactionsTimedOut =
        counter(
            "coordinator.transactions.timed.out",
            "transactions the coordinator aborted because they outlived their timeout");
  }

  /** Registers the gauge of transactions begun and not yet complete. */
  public void bindTransactionCount(Supplier<Number> open) {
    gauge("coordinator.transactions.open", open, "transactions begun and not yet complete");
  }

  @Override
  public void committed() {
    transactionsCommitted.increment();
  }

  @Override
  public void aborted() {
    transactionsAborted.increment();
  }

  @Override
  public void timedOut() {
    transactionsTimedOut.increment();
  }

  /** Registers the gauges that read the coordinator's counts. */
  public void bindGroupCounts(Supplier<Number> groups, Supplier<Number> members) {
    gauge("coordinator.active.groups", groups, "consumer groups that exist (any state but Dead)");
    gauge("coordinator.members", members, "members of all groups");
  }

  /** Gauges of the network edge: open connections and bytes held by requests in flight. */
  public void bindEdge(Supplier<Number> connections, Supplier<Number> requestBytes) {
    gauge("coordinator.connections", connections, "Kafka connections open over all listeners");
    gauge(
        "coordinator.request.memory.bytes",
        requestBytes,
        "bytes held by requests being read or handled (bounded by queued.max.request.bytes)");
  }

  /**
   * Gauges of the log segment files: open now, and opened since the start. Micrometer holds {@code
   * files} weakly; the broker holds it for as long as it runs.
   */
  public <T> void bindSegmentFiles(T files, ToDoubleFunction<T> open, ToDoubleFunction<T> opened) {
    Gauge.builder("coordinator.segment.files.open", files, open)
        .description("log segment files open now (bounded by --max-open-segment-files when idle)")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "coordinator.segment.files.opened", files, opened)
        .description("log segment files opened since the start (re-opens of closed idle ones)")
        .register(registry);
  }

  @Override
  public void authenticationFailed(String listener, String mechanism) {
    Counter.builder("coordinator.authentication.failures")
        .description("failed TLS or SASL authentications, and requests sent before authenticating")
        .tag("listener", listener)
        .tag("mechanism", mechanism)
        .register(registry)
        .increment();
  }

  @Override
  public void reauthenticated(String listener, String mechanism) {
    Counter.builder("coordinator.reauthentications")
        .description("SASL re-authentications of live connections (KIP-368)")
        .tag("listener", listener)
        .tag("mechanism", mechanism)
        .register(registry)
        .increment();
  }

  @Override
  public void limitHit(String limit) {
    Counter.builder("coordinator.limit.hits")
        .description(
            "times a limit turned a connection, request or topic away (limit: Kafka's name)")
        .tag("limit", limit)
        .register(registry)
        .increment();
  }

  /** The registry, for the parts of the broker that register their own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void rebalanceCompleted(long durationMs) {
    rebalances.increment();
    rebalanceDuration.record(Duration.ofMillis(durationMs));
  }

  @Override
  public void groupEpochBumped() {
    rebalances.increment();
  }

  @Override
  public void consumerGroupReconciled(long durationMs) {
    rebalanceDuration.record(Duration.ofMillis(durationMs));
  }

  @Override
  public void heartbeat() {
    heartbeats.increment();
  }

  @Override
  public void offsetsCommitted(int partitions) {
    offsetCommits.increment(partitions);
  }

  @Override
  public void memberTimedOut() {
    memberTimeouts.increment();
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void gauge(String name, Supplier<Number> value, String description) {
    Gauge.builder(name, value).description(description).register(registry);
  }
}
