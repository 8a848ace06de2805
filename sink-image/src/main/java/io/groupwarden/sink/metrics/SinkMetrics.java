package io.groupwarden.sink.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's Prometheus metrics, with the sink names of the design: {@code
 * consumer_messages_processed_total}, {@code consumer_processing_errors_total}, {@code
 * consumer_batch_size}, {@code consumer_processing_time_seconds}, {@code consumer_lag}, {@code
 * consumer_mongodb_write_time_seconds}, {@code consumer_offset_commit_time_seconds}, {@code
 * consumer_active_connections}.
 */
public final class SinkMetrics {
  /** Histogram buckets for the timers: from a fast local write to a long outage retry. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter stored;
  private final Counter duplicates;
  private final Counter deadLettered;
  private final DistributionSummary batchSize;
  private final Timer processingTime;
  private final Timer mongoWriteTime;
  private final Timer commitTime;
  private final Map<TopicPartition, LagGauge> lags = new ConcurrentHashMap<>();

  private record LagGauge(AtomicLong value, Gauge gauge) {}

  public SinkMetrics() {
    stored = processed("stored");
    duplicates = processed("duplicate");
    deadLettered = processed("dead_lettered");
    batchSize =
        DistributionSummary.builder("consumer.batch.size")
            .description("Messages per batch written to MongoDB")
            .register(registry);
    processingTime =
        timer(
            "consumer.processing.time",
            "Time to resolve one batch: store or dead-letter every message");
    mongoWriteTime = timer("consumer.mongodb.write.time", "Time of one insertMany");
    commitTime = timer("consumer.offset.commit.time", "Time of one synchronous offset commit");
  }

  private Counter processed(String outcome) {
    return Counter.builder("consumer.messages.processed")
        .description(
            "Messages resolved, by outcome: stored, duplicate (already stored), dead_lettered")
        .tag("outcome", outcome)
        .register(registry);
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  /** Registers the connection gauges; {@code target} is {@code kafka} or {@code mongodb}. */
  public void connections(String target, Supplier<Number> open) {
    Gauge.builder("consumer.active.connections", open)
        .description("Open connections of the worker, by target")
        .tag("target", target)
        .register(registry);
  }

  public void stored(int count) {
    stored.increment(count);
  }

  public void duplicates(int count) {
    duplicates.increment(count);
  }

  public void deadLettered(int count) {
    deadLettered.increment(count);
  }

  /** One processing error; {@code reason} is a dead-letter reason or a failed attempt's kind. */
  public void error(String reason) {
    Counter.builder("consumer.processing.errors")
        .description("Messages rejected and store or commit attempts that failed, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void batch(int size, Duration elapsed) {
    batchSize.record(size);
    processingTime.record(elapsed);
  }

  public void mongoWrite(Duration elapsed) {
    mongoWriteTime.record(elapsed);
  }

  public void commit(Duration elapsed) {
    commitTime.record(elapsed);
  }

  /** The lag of an owned partition: log end minus the consumer's position. */
  public void lag(TopicPartition partition, long lag) {
    lags.computeIfAbsent(
            partition,
            p -> {
              AtomicLong value = new AtomicLong();
              Gauge gauge =
                  Gauge.builder("consumer.lag", value, AtomicLong::get)
                      .description("Messages behind the log end, per owned partition")
                      .tag("topic", p.topic())
                      .tag("partition", Integer.toString(p.partition()))
                      .register(registry);
              return new LagGauge(value, gauge);
            })
        .value()
        .set(lag);
  }

  /** Stops reporting lag for a partition this worker no longer owns. */
  public void forgetLag(TopicPartition partition) {
    LagGauge lag = lags.remove(partition);
    if (lag != null) {
      registry.remove(lag.gauge());
    }
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
