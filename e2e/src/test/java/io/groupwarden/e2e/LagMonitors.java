package io.groupwarden.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.support.TestResources;
import java.time.Duration;
import java.util.function.Predicate;

/** The LagMonitors of the end-to-end tests: each reads a few groups every second. */
public final class LagMonitors {
  private LagMonitors() {}

  /**
   * Applies LagMonitor {@code name} for {@code group}.
   *
   * @param kafkaSource where it reads, as it stands in {@code spec.kafka}: {@code policyRef: {name:
   *     p}} or {@code bootstrapServers: "host:port"}
   */
  public static void apply(
      KubernetesClient client, String namespace, String name, String kafkaSource, String group) {
    TestResources.applySpec(
        client,
        LagMonitor.class,
        namespace,
        name,
        """
        kafka: {%s, groups: [%s]}
        interval: 1s
        """
            .formatted(kafkaSource, group));
  }

  /**
   * The monitor's entry for {@code group} on {@code topic} once it has a lag and passes {@code
   * test}, within a minute and a half.
   */
  public static Source awaitSource(
      KubernetesClient client,
      String namespace,
      String monitor,
      String topic,
      String group,
      Predicate<Source> test) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () ->
                client
                    .resources(LagMonitor.class)
                    .inNamespace(namespace)
                    .withName(monitor)
                    .get()
                    .getStatus()
                    .sources()
                    .stream()
                    .filter(s -> s.name().equals(topic) && s.group().equals(group))
                    .findFirst()
                    .orElse(null),
            s -> s != null && s.lag() != null && test.test(s));
  }
}
