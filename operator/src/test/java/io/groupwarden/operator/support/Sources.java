package io.groupwarden.operator.support;

import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds LagMonitor {@link Source}s for tests: {@code redis("events", "fanout").lag(12).build()}. A
 * source is healthy with no lag, consumers, error or note until told otherwise.
 */
public final class Sources {
  private final Kind kind;
  private final String name;
  private final String group;
  private Long lag = 0L;
  private Health health = Health.healthy;
  private final List<Consumer> consumers = new ArrayList<>();
  private String error;
  private String note;

  private Sources(Kind kind, String name, String group) {
    this.kind = kind;
    this.name = name;
    this.group = group;
  }

  public static Sources kafka(String topic, String group) {
    return new Sources(Kind.kafka, topic, group);
  }

  public static Sources redis(String stream, String group) {
    return new Sources(Kind.redis, stream, group);
  }

  /** The lag in messages; null when the source cannot tell. */
  public Sources lag(Long lag) {
    this.lag = lag;
    return this;
  }

  public Sources health(Health health) {
    this.health = health;
    return this;
  }

  public Sources consumer(String name, Long pending, Long idleMs) {
    consumers.add(new Consumer(name, pending, idleMs));
    return this;
  }

  /** An unreachable source: its error, lag -1 and unhealthy, as the collectors report it. */
  public Sources unreachable(String error) {
    this.error = error;
    this.lag = -1L;
    this.health = Health.unhealthy;
    return this;
  }

  public Sources note(String note) {
    this.note = note;
    return this;
  }

  public Source build() {
    return new Source(
        kind,
        name,
        group,
        lag,
        consumers.isEmpty() ? null : List.copyOf(consumers),
        health,
        error,
        note);
  }
}
