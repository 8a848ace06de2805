package io.groupwarden.operator.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.OperatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Stream;

/**
 * The operator running against fabric8's mock API server in CRUD mode, with the generated CRDs
 * installed. Server-side apply is off because the mock does not support it.
 */
public final class OperatorHarness implements AutoCloseable {
  /** The mock server logs every request through java.util.logging; keep it to warnings. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final GroupwardenOperator operator;

  private OperatorHarness(Map<String, String> env, Clock clock) {
    // CRUD mode, plus the expectations a test registers through server() (mixed dispatcher)
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init();
    client = server.createClient();
    installCrds(client);
    Map<String, String> settings = new HashMap<>(env);
    settings.putIfAbsent("GROUPWARDEN_HTTP_PORT", "0");
    settings.putIfAbsent("GROUPWARDEN_LEADER_ELECTION", "false");
    settings.putIfAbsent("GROUPWARDEN_KAFKA_TIMEOUT", "3s");
    settings.putIfAbsent("GROUPWARDEN_API_TOKEN", "test-token");
    operator =
        new GroupwardenOperator(
            OperatorConfig.fromEnvironment(settings),
            client,
            clock,
            GroupwardenOperator.Mode.MOCK_API_SERVER);
    operator.start();
  }

  /** Starts the mock API server and the operator with default settings. */
  public static OperatorHarness start() {
    return new OperatorHarness(Map.of(), Clock.systemUTC());
  }

  /** Starts them with extra operator environment variables. */
  public static OperatorHarness start(Map<String, String> env) {
    return new OperatorHarness(env, Clock.systemUTC());
  }

  /** The mock API server, for expectations beyond CRUD. */
  public KubernetesMockServer server() {
    return server;
  }

  public KubernetesClient client() {
    return client;
  }

  public GroupwardenOperator operator() {
    return operator;
  }

  /** The generated CRD files of the repository's crds/ folder. */
  public static List<Path> crdFiles() {
    Path dir = repositoryRoot().resolve("crds");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root, found from the operator module's working directory. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("crds"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (a folder with crds/)");
    }
    return dir;
  }

  /** Creates the repository's CRDs in the API server {@code client} talks to. */
  public static void installCrds(KubernetesClient client) {
    for (Path file : crdFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() {
    operator.close();
    client.close();
    server.destroy();
  }
}
