package io.groupwarden.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events about groupwarden resources. Callers decide when something is worth an
 * event (on transitions); the recorder additionally folds an identical event about the same object
 * into the existing one by raising its count, as kubectl's recorder does, so a flapping condition
 * never floods the namespace.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final Clock clock;
  private final String component;
  private final String instance;
  private final Map<EventKey, String> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EventKey, String> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client, Clock clock, String component, String instance) {
    this.client = client;
    this.clock = clock;
    this.component = component;
    this.instance = instance;
  }

  /** Records a Normal event. */
  public void normal(HasMetadata about, String reason, String message) {
    record(about, Notice.normal(reason, message));
  }

  /** Records a Warning event. */
  public void warning(HasMetadata about, String reason, String message) {
    record(about, Notice.warning(reason, message));
  }

  /**
   * Records an event; failures to write it are logged, never thrown at the reconciler. Only the
   * memory of recent events is locked, not the API call: every reconcile that records an event
   * waited for everyone else's API calls, and a thousand new resources took a minute to get their
   * first status.
   */
  public void record(HasMetadata about, Notice notice) {
    String namespace = about.getMetadata().getNamespace();
    EventKey key =
        new EventKey(
            about.getMetadata().getUid(), notice.type(), notice.reason(), notice.message());
    String now = timestamp();
    try {
      String existing;
      synchronized (recent) {
        existing = recent.get(key);
      }
      if (existing != null) {
        Event event = client.v1().events().inNamespace(namespace).withName(existing).get();
        if (event != null) {
          int count = event.getCount() == null ? 1 : event.getCount();
          event.setCount(count + 1);
          event.setLastTimestamp(now);
          client.v1().events().inNamespace(namespace).resource(event).update();
          return;
        }
      }
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withGenerateName(about.getMetadata().getName() + ".")
              .withNamespace(namespace)
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(about.getApiVersion())
                      .withKind(about.getKind())
                      .withName(about.getMetadata().getName())
                      .withNamespace(namespace)
                      .withUid(about.getMetadata().getUid())
                      .withResourceVersion(about.getMetadata().getResourceVersion())
                      .build())
              .withType(notice.type())
              .withReason(notice.reason())
              .withMessage(notice.message())
              .withCount(1)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withNewSource()
              .withComponent(component)
              .endSource()
              .withReportingComponent(component)
              .withReportingInstance(instance)
              .build();
      Event created = client.v1().events().inNamespace(namespace).resource(event).create();
      synchronized (recent) {
        recent.put(key, created.getMetadata().getName());
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Could not record event {} about {}/{}: {}",
          notice.reason(),
          namespace,
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  private String timestamp() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private record EventKey(String uid, String type, String reason, String message) {
    EventKey {
      Objects.requireNonNull(reason);
    }
  }
}
