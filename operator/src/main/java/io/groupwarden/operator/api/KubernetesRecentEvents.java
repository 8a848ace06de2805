package io.groupwarden.operator.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.groupwarden.operator.api.view.EventView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Events about a resource, read from the API server (so a standby replica shows the leader's),
 * newest first, at most {@value #SHOWN}; an answer is reused for {@link #FRESH} so a page that
 * polls does not load the API server. An API server that cannot be read gives none.
 */
public final class KubernetesRecentEvents implements RecentEvents {
  static final int SHOWN = 20;
  static final Duration FRESH = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Instant at, List<EventView> events) {}

  public KubernetesRecentEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventView> about(String namespace, String kind, String name) {
    String key = namespace + "/" + kind + "/" + name;
    Instant now = clock.instant();
    Cached cached = cache.get(key);
    if (cached != null && cached.at().plus(FRESH).isAfter(now)) {
      return cached.events();
    }
    List<EventView> events;
    try {
      events =
          client.v1().events().inNamespace(namespace).list().getItems().stream()
              .filter(e -> e.getInvolvedObject() != null)
              .filter(e -> kind.equals(e.getInvolvedObject().getKind()))
              .filter(e -> name.equals(e.getInvolvedObject().getName()))
              .sorted(
                  Comparator.comparing(
                          (Event e) -> Objects.requireNonNullElse(e.getLastTimestamp(), ""))
                      .reversed())
              .limit(SHOWN)
              .map(
                  e ->
                      new EventView(
                          e.getType(),
                          e.getReason(),
                          e.getMessage(),
                          e.getCount() == null ? 1 : e.getCount(),
                          e.getFirstTimestamp(),
                          e.getLastTimestamp()))
              .toList();
    } catch (KubernetesClientException e) {
      events = List.of();
    }
    if (cache.size() > 1000) {
      cache.clear();
    }
    cache.put(key, new Cached(now, events));
    return events;
  }
}
