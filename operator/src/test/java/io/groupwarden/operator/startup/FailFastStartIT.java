package io.groupwarden.operator.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.groupwarden.operator.support.Kubeconfigs;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar operator.jar} started as a child process against an API server that cannot work:
 * it exits with status 1 within a bounded time, after one line that names the cause and the server
 * it tried, and prints no stack trace. Against a working (mock) API server it starts, becomes ready
 * and stays up.
 */
class FailFastStartIT {
  /** The bound: far below the client's own retry back-off (minutes), far above a normal start. */
  private static final Duration BOUND = Duration.ofSeconds(45);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The mock server logs every request through java.util.logging; keep it to warnings. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  @TempDir Path dir;

  @Test
  void anUnreachableApiServerEndsTheStartWithOneLineNamingIt() throws Exception {
    String server = "http://127.0.0.1:" + FreePort.pick();
    Path kubeconfig = kubeconfig(server);

    List<String> lines = runToExit(Map.of("KUBECONFIG", kubeconfig.toString()));

    String failure = theOneErrorLine(lines);
    assertThat(failure)
        .contains("cannot reach the Kubernetes API server " + server)
        .contains("connection refused")
        .contains("kubeconfig " + kubeconfig);
  }

  @Test
  void withoutAnyKubeconfigItSaysSoInsteadOfTryingTheDefaultServerForMinutes() throws Exception {
    List<String> lines = runToExit(Map.of("KUBECONFIG", dir.resolve("absent").toString()));

    assertThat(theOneErrorLine(lines))
        .contains("no Kubernetes configuration")
        .contains("KUBECONFIG=" + dir.resolve("absent") + " does not exist")
        .contains("https://kubernetes.default.svc");
  }

  @Test
  void missingCrdsAreNamedWithTheServer() throws Exception {
    KubernetesMockServer api = mockServer(request -> false);
    try {
      String server = api.createClient().getMasterUrl().toString();

      List<String> lines = runToExit(Map.of("KUBECONFIG", kubeconfig(server).toString()));

      assertThat(theOneErrorLine(lines))
          .contains("CustomResourceDefinition consumergrouppolicies.groupwarden.io")
          .contains("is not installed on the Kubernetes API server " + stripSlash(server));
    } finally {
      api.destroy();
    }
  }

  @Test
  void aWatchForbiddenByRbacIsNamedWithTheKindAndTheNamespace() throws Exception {
    KubernetesMockServer api =
        mockServer(
            request ->
                request.getPath().contains("/namespaces/team-a/mongosinks")
                    && request.getPath().contains("watch=true"));
    try {
      installCrds(api.createClient());
      String server = api.createClient().getMasterUrl().toString();

      List<String> lines =
          runToExit(
              Map.of(
                  "KUBECONFIG",
                  kubeconfig(server).toString(),
                  "GROUPWARDEN_WATCH_NAMESPACES",
                  "team-a"));

      assertThat(theOneErrorLine(lines))
          .contains("forbids watch on mongosinks.groupwarden.io in namespace team-a")
          .contains(stripSlash(server))
          .contains("check the operator's RBAC");
    } finally {
      api.destroy();
    }
  }

  @Test
  void jsonLogsAreOneJsonObjectPerLine() throws Exception {
    String server = "http://127.0.0.1:" + FreePort.pick();

    List<String> lines =
        runToExit(
            Map.of("KUBECONFIG", kubeconfig(server).toString(), "GROUPWARDEN_LOG_FORMAT", "json"));

    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      events.add(JSON.readTree(line));
    }
    assertThat(events).extracting(e -> e.path("log.level").asText()).contains("INFO", "ERROR");
    JsonNode error =
        events.stream().filter(e -> e.path("log.level").asText().equals("ERROR")).findFirst().get();
    assertThat(error.path("message").asText())
        .contains("cannot reach the Kubernetes API server " + server);
    assertThat(error.path("log.logger").asText()).isEqualTo("io.groupwarden.operator.OperatorMain");
  }

  @Test
  void againstAWorkingApiServerItBecomesReadyAndStaysUp() throws Exception {
    KubernetesMockServer api = mockServer(request -> false);
    installCrds(api.createClient());
    int port = FreePort.pick();
    try (OperatorProcess operator =
        OperatorProcess.start(
            dir,
            Map.of(
                "KUBECONFIG",
                kubeconfig(api.createClient().getMasterUrl().toString()).toString(),
                "GROUPWARDEN_HTTP_PORT",
                String.valueOf(port),
                "GROUPWARDEN_HTTP_HOST",
                "127.0.0.1"))) {
      HttpClient http = HttpClient.newHttpClient();

      await()
          .atMost(BOUND)
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(get(http, port, "/readyz")).isEqualTo("200 ready\n"));

      assertThat(get(http, port, "/healthz")).isEqualTo("200 ok\n");
      assertThat(operator.isAlive()).isTrue();
      assertThat(operator.lines()).noneMatch(l -> l.contains("ERROR"));
    } finally {
      api.destroy();
    }
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /** Runs the operator until it exits, asserting the exit status and the time bound. */
  private List<String> runToExit(Map<String, String> env) throws Exception {
    try (OperatorProcess operator = OperatorProcess.start(dir, env)) {
      Integer exit = operator.awaitExit(BOUND);
      List<String> lines = operator.lines();
      assertThat(exit).as("exit status; output:%n%s", String.join("\n", lines)).isEqualTo(1);
      assertThat(operator.elapsed()).isLessThan(BOUND);
      assertThat(lines)
          .as("no stack trace")
          .noneMatch(
              l ->
                  l.startsWith("\tat ")
                      || l.startsWith("Caused by")
                      || l.contains("Exception in thread"))
          .hasSizeLessThanOrEqualTo(4);
      return lines;
    }
  }

  private static String theOneErrorLine(List<String> lines) {
    List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
    assertThat(errors).as(String.join("\n", lines)).hasSize(1);
    return errors.get(0);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private Path kubeconfig(String server) throws IOException {
    return Kubeconfigs.write(Files.createTempFile(dir, "kubeconfig", ".yaml"), server);
  }

  /** The mock API server in CRUD mode, answering 403 to the requests {@code forbidden} picks. */
  private static KubernetesMockServer mockServer(Predicate<RecordedRequest> forbidden) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()) {
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                if (forbidden.test(request)) {
                  return new MockResponse()
                      .setResponseCode(403)
                      .setHeader("Content-Type", "application/json")
                      .setBody(
                          Serialization.asJson(
                              new StatusBuilder()
                                  .withStatus("Failure")
                                  .withReason("Forbidden")
                                  .withCode(403)
                                  .withMessage(
                                      "mongosinks is forbidden: User \"system:serviceaccount:ops:gw\""
                                          + " cannot watch resource \"mongosinks\"")
                                  .build()));
                }
                return super.dispatch(request);
              }
            },
            false);
    server.init();
    return server;
  }

  private static void installCrds(KubernetesClient client) throws IOException {
    for (Path file : OperatorHarness.crdFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }
}
