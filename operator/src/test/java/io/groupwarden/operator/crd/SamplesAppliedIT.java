package io.groupwarden.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.groupwarden.operator.crd.CrdSchemas.Sample;
import io.groupwarden.operator.support.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -f samples/} against the mock API server with the operator running: every
 * sample is accepted, and the operator reconciles each resource to a status with its generation and
 * a Ready condition — the clusters the samples name do not exist here, so Ready says why, and no
 * credential from the sample Secrets appears in any status.
 */
class SamplesAppliedIT {
  private static OperatorHarness harness;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    harness =
        OperatorHarness.start(
            Map.of("GROUPWARDEN_KAFKA_TIMEOUT", "1s", "GROUPWARDEN_SINK_RESYNC", "2s"));
    client = harness.client();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void everySampleIsAcceptedAndReconciledToAStatusThatSaysWhy() {
    List<Sample> samples = CrdSchemas.samples();
    for (Sample sample : samples) {
      HasMetadata resource =
          Serialization.unmarshal(
              Serialization.asJson(sample.document()), GenericKubernetesResource.class);
      client.resource(resource).create();
    }

    for (Sample sample : samples.stream().filter(Sample::isGroupwarden).toList()) {
      String namespace = sample.document().path("metadata").path("namespace").asText();
      String name = sample.document().path("metadata").path("name").asText();
      GenericKubernetesResource reconciled =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () ->
                      client
                          .genericKubernetesResources("groupwarden.io/v1alpha1", sample.kind())
                          .inNamespace(namespace)
                          .withName(name)
                          .get(),
                  r -> r.getAdditionalProperties().get("status") != null);
      @SuppressWarnings("unchecked")
      Map<String, Object> status =
          (Map<String, Object>) reconciled.getAdditionalProperties().get("status");
      assertThat(status.get("observedGeneration")).as(sample.toString()).isEqualTo(1);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
      assertThat(conditions)
          .as(sample.toString())
          .anySatisfy(
              c -> {
                assertThat(c.get("type")).isEqualTo("Ready");
                assertThat((String) c.get("reason")).isNotBlank();
                assertThat((String) c.get("message")).isNotBlank();
              });
      assertThat(Serialization.asJson(status)).doesNotContain("change-me");
    }
  }
}
