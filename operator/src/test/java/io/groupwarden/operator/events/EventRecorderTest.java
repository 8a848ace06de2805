package io.groupwarden.operator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events recorded by many reconciles at once, against fabric8's mock API server: an event whose API
 * call is slow does not hold up events about other objects.
 */
class EventRecorderTest {
  private final KubernetesMockServer api = new KubernetesMockServer(false);
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api.init();
    client = api.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    api.destroy();
  }

  @Test
  void aSlowEventDoesNotHoldUpEventsAboutOtherObjects() throws Exception {
    api.expect()
        .post()
        .delay(20, TimeUnit.SECONDS)
        .withPath("/api/v1/namespaces/slow/events")
        .andReturn(201, event("slow"))
        .once();
    api.expect()
        .post()
        .withPath("/api/v1/namespaces/fast/events")
        .andReturn(201, event("fast"))
        .once();
    EventRecorder recorder = new EventRecorder(client, Clock.systemUTC(), "test", "test-1");

    CompletableFuture<Void> slow =
        CompletableFuture.runAsync(() -> recorder.normal(object("slow"), "Ready", "slow one"));
    // the slow call is under way at the API server before the other event is recorded
    await().atMost(Duration.ofSeconds(15)).until(() -> api.getRequestCount() == 1);

    CompletableFuture<Void> fast =
        CompletableFuture.runAsync(() -> recorder.normal(object("fast"), "Ready", "fast one"));
    fast.get(15, TimeUnit.SECONDS);

    assertThat(slow).isNotDone();
    assertThat(api.getLastRequest().getPath()).isEqualTo("/api/v1/namespaces/fast/events");
  }

  private static ConfigMap object(String namespace) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("about")
        .withNamespace(namespace)
        .withUid(namespace + "-uid")
        .endMetadata()
        .build();
  }

  private static Event event(String namespace) {
    return new EventBuilder()
        .withNewMetadata()
        .withName("about." + namespace)
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }
}
