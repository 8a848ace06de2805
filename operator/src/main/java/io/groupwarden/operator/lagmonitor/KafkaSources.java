package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.metrics.MetricNames.*;

import io.groupwarden.operator.common.KafkaFailures;
import io.groupwarden.operator.common.ManagedCoordinatorLookup;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaAdminPool;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaConnections;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lag.SharedLagReads;
import io.groupwarden.operator.lag.SharedLagReads.LagRequest;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorSpec.KafkaSource;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Consumer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Kind;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.metrics.GaugeSample;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.KafkaException;

/** The Kafka sources of a LagMonitor: one per group and topic, from the shared lag collector. */
record KafkaSources(
    KafkaAdminPool kafka,
    SharedLagReads reads,
    KafkaConnections connections,
    ManagedCoordinatorLookup coordinators) {
  /**
   * Reads the monitor's groups.
   *
   * @param monitor the monitor's name; against a managed coordinator the operator connects as its
   *     SCRAM user
   */
  List<Source> check(
      String owner,
      String namespace,
      String monitor,
      KafkaSource spec,
      LagHealth health,
      List<GaugeSample> metrics,
      Instant now,
      Duration interval) {
    GroupSelector selector = selector(spec);
    KafkaConnection connection =
        spec.bootstrapServers() != null
            ? connections.resolve(
                namespace, spec.bootstrapServers(), spec.tls(), spec.sasl(), "spec.kafka")
            : coordinators
                .resolve(
                    namespace,
                    spec.policyRef().name(),
                    ManagedCoordinatorNames.lagMonitorUser(monitor),
                    "spec.kafka.policyRef")
                .operator();
    LagSnapshot snapshot;
    try {
      // a shared collection up to half an interval old will do
      snapshot =
          reads.read(
              connection,
              kafka.acquire(owner, connection),
              new LagRequest(selector, false, now.minus(interval.dividedBy(2)), interval));
    } catch (KafkaUnavailableException e) {
      return unreachable(selector, connection, e.getMessage(), health);
    } catch (KafkaException e) {
      throw KafkaFailures.asProblem(e, () -> "Kafka at " + connection);
    }
    List<Source> sources = new ArrayList<>();
    for (GroupSample group : snapshot.groups()) {
      Map<String, Long> lagByTopic = new TreeMap<>();
      for (PartitionSample p : group.partitions()) {
        // records retention deleted before the group read them are not lag (MessageLag)
        long lag = MessageLag.of(p);
        lagByTopic.merge(p.topic(), lag, Long::sum);
        metrics.add(
            new GaugeSample(
                GROUP_LAG,
                "Consumer group lag in messages per partition",
                Map.of(
                    NAMESPACE,
                    namespace,
                    POLICY,
                    "",
                    LAGMONITOR,
                    monitor,
                    GROUP,
                    group.groupId(),
                    TOPIC,
                    p.topic(),
                    PARTITION,
                    String.valueOf(p.partition())),
                lag));
      }
      Set<String> clients = new TreeSet<>();
      group.members().forEach(m -> clients.add(m.clientId()));
      List<Consumer> consumers = clients.stream().map(c -> new Consumer(c, null, null)).toList();
      lagByTopic.forEach(
          (topic, lag) ->
              sources.add(
                  new Source(
                      Kind.kafka,
                      topic,
                      group.groupId(),
                      lag,
                      consumers.isEmpty() ? null : consumers,
                      health.of(lag),
                      null,
                      consumers.isEmpty() ? "the group has no active members" : null)));
      if (lagByTopic.isEmpty()) {
        sources.add(
            new Source(
                Kind.kafka,
                "",
                group.groupId(),
                0L,
                null,
                health.of(0L),
                null,
                "the group has no offsets yet"));
      }
    }
    for (String missing : snapshot.missingGroups()) {
      sources.add(
          new Source(
              Kind.kafka,
              "",
              missing,
              0L,
              null,
              health.of(0L),
              null,
              "the group does not exist on the cluster"));
    }
    return sources;
  }

  private static List<Source> unreachable(
      GroupSelector selector, KafkaConnection connection, String error, LagHealth health) {
    String message = "cannot reach Kafka at " + connection + ": " + error;
    List<String> groups =
        selector.byPattern() ? List.of(selector.pattern().pattern()) : selector.groups();
    return groups.stream()
        .map(g -> new Source(Kind.kafka, "", g, -1L, null, health.of(-1L), message, null))
        .toList();
  }

  private static GroupSelector selector(KafkaSource spec) {
    boolean hasGroups = spec.groups() != null && !spec.groups().isEmpty();
    boolean hasPattern = spec.groupPattern() != null && !spec.groupPattern().isBlank();
    if (hasGroups == hasPattern) {
      throw SpecProblem.invalid("spec.kafka", "set exactly one of groups and groupPattern");
    }
    if (spec.bootstrapServers() == null && spec.policyRef() == null) {
      throw SpecProblem.invalid("spec.kafka", "set bootstrapServers or policyRef");
    }
    if (hasGroups) {
      return new GroupSelector(spec.groups(), null, Set.of());
    }
    try {
      return new GroupSelector(List.of(), Pattern.compile(spec.groupPattern()), Set.of());
    } catch (PatternSyntaxException e) {
      throw SpecProblem.invalid(
          "spec.kafka.groupPattern", "not a valid regular expression: " + e.getDescription());
    }
  }
}
