package io.groupwarden.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** What the integration tests do to the mock API server and the operator, written once. */
public final class TestResources {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestResources() {}

  /**
   * Creates the resource the YAML describes in {@code namespace}, or updates it when the YAML
   * carries a resourceVersion (as {@code kubectl apply} would after a read).
   */
  public static <T extends HasMetadata> T apply(
      KubernetesClient client, Class<T> type, String namespace, String yaml) {
    T resource =
        client
            .resources(type)
            .load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
            .item();
    var operation = client.resources(type).inNamespace(namespace).resource(resource);
    return resource.getMetadata().getResourceVersion() != null
        ? operation.update()
        : operation.create();
  }

  /**
   * Creates (or updates) the {@code type} resource {@code name} in {@code namespace} whose spec is
   * {@code spec}, as {@link #yaml} writes it.
   */
  public static <T extends HasMetadata> T applySpec(
      KubernetesClient client, Class<T> type, String namespace, String name, String spec) {
    return apply(client, type, namespace, yaml(type, name, namespace, spec));
  }

  /**
   * The YAML of a {@code type} resource named {@code name} in {@code namespace} whose spec is
   * {@code spec}: the lines under {@code spec:}, written without their indentation.
   */
  public static String yaml(
      Class<? extends HasMetadata> type, String name, String namespace, String spec) {
    return "apiVersion: %s%nkind: %s%nmetadata: {name: %s, namespace: %s}%nspec:%n%s"
        .formatted(
            HasMetadata.getApiVersion(type),
            HasMetadata.getKind(type),
            name,
            namespace,
            spec.indent(2));
  }

  /**
   * A ConsumerGroupPolicy's spec reading {@code bootstrapServers} and evaluated every second, then
   * {@code rest}: what each test says of the groups and its rules.
   */
  public static String policySpec(String bootstrapServers, String rest) {
    return "kafka: {bootstrapServers: \"%s\"}%ninterval: 1s%n%s".formatted(bootstrapServers, rest);
  }

  /** The named custom resource's status once it exists and passes {@code test}. */
  public static <R extends CustomResource<?, S>, S> S awaitStatus(
      KubernetesClient client,
      Class<R> type,
      String namespace,
      String name,
      Duration patience,
      Predicate<S> test) {
    return Awaitility.await()
        .atMost(patience)
        .ignoreExceptions()
        .until(
            () -> client.resources(type).inNamespace(namespace).withName(name).get().getStatus(),
            status -> status != null && test.test(status));
  }

  /** Creates a Secret holding one string entry, as a user's credentials would be stored. */
  public static Secret createSecret(
      KubernetesClient client, String namespace, String name, String key, String value) {
    return client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToStringData(key, value)
                .build())
        .create();
  }

  /** The Events about the named object with the given reason. */
  public static List<Event> events(
      KubernetesClient client, String namespace, String involved, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** The operator's Prometheus scrape. */
  public static String scrape(GroupwardenOperatorPort operator) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JSON answer to a GET of the operator's {@code path}, sent with {@code token}; fails showing
   * the body unless the answer is 200.
   */
  public static JsonNode getJson(GroupwardenOperatorPort operator, String token, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Anything that serves the operator's HTTP port. */
  @FunctionalInterface
  public interface GroupwardenOperatorPort {
    int httpPort();
  }
}
