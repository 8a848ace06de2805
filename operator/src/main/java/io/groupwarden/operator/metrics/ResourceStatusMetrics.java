package io.groupwarden.operator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * What the resources' status says, as metrics an alert can use: whether each resource is Ready
 * (with the reason when it is not: GroupNotFound, KafkaUnreachable, InvalidSpec...) and how many
 * sources of each LagMonitor are unhealthy. Read from watches of the three kinds when Prometheus
 * scrapes, so the numbers are those of the status the operator last wrote.
 *
 * <ul>
 *   <li>{@code groupwarden_resource_ready{namespace,kind,name,reason}}: 1 when Ready=True, else 0
 *   <li>{@code groupwarden_lagmonitor_unhealthy_sources{namespace,lagmonitor}}
 * </ul>
 */
public final class ResourceStatusMetrics implements AutoCloseable {
  public static final String RESOURCE_READY = "groupwarden_resource_ready";
  public static final String LAGMONITOR_UNHEALTHY_SOURCES =
      "groupwarden_lagmonitor_unhealthy_sources";

  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final MultiGauge ready;
  private final MultiGauge unhealthySources;

  public ResourceStatusMetrics(MeterRegistry registry) {
    this.ready =
        MultiGauge.builder(RESOURCE_READY)
            .description("1 when the resource's Ready condition is True, else 0; reason: why not")
            .register(registry);
    this.unhealthySources =
        MultiGauge.builder(LAGMONITOR_UNHEALTHY_SOURCES)
            .description("Sources of a LagMonitor above its unhealthy threshold")
            .register(registry);
  }

  /** Watches the kinds in the given namespaces (empty: all); returns at once. */
  public void start(
      KubernetesClient client, List<Class<? extends HasMetadata>> kinds, List<String> namespaces) {
    for (Class<? extends HasMetadata> kind : kinds) {
      if (namespaces.isEmpty()) {
        informers.add(client.resources(kind).inAnyNamespace().runnableInformer(0));
      } else {
        for (String namespace : namespaces) {
          informers.add(client.resources(kind).inNamespace(namespace).runnableInformer(0));
        }
      }
    }
    informers.forEach(SharedIndexInformer::start);
  }

  /** Rewrites the gauges from the watched resources; called before each scrape. */
  public synchronized void refresh() {
    List<MultiGauge.Row<?>> readyRows = new ArrayList<>();
    List<MultiGauge.Row<?>> sourceRows = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      for (HasMetadata resource : informer.getStore().list()) {
        JsonNode status = Serialization.jsonMapper().valueToTree(resource).path("status");
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        JsonNode condition = readyCondition(status);
        if (condition != null) {
          boolean isReady = "True".equals(condition.path("status").asText());
          readyRows.add(
              MultiGauge.Row.of(
                  Tags.of(
                      "namespace",
                      namespace,
                      "kind",
                      resource.getKind(),
                      "name",
                      name,
                      "reason",
                      condition.path("reason").asText("")),
                  isReady ? 1 : 0));
        }
        if ("LagMonitor".equals(resource.getKind()) && status.has("unhealthy")) {
          sourceRows.add(
              MultiGauge.Row.of(
                  Tags.of("namespace", namespace, "lagmonitor", name),
                  status.path("unhealthy").asLong()));
        }
      }
    }
    ready.register(readyRows, true);
    unhealthySources.register(sourceRows, true);
  }

  private static JsonNode readyCondition(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return null;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
