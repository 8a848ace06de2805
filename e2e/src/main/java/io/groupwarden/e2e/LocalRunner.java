package io.groupwarden.e2e;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.coordinator.CoordinatorConfig;
import io.groupwarden.operator.GroupwardenOperator;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole system on one machine, no cluster needed: the coordinator broker, a Kubernetes API
 * (fabric8's mock server in CRUD mode) with the CRDs, the operator, a ConsumerGroupPolicy and a
 * LagMonitor on the broker, and a live workload — one group that keeps up and one that falls behind
 * — then prints the policy's status as {@code kubectl get cgp} would, until Ctrl-C.
 */
public final class LocalRunner {
  static final String NAMESPACE = "demo";

  /** The kinds a demo resource file may hold, each applied as its kind. */
  private static final List<Class<? extends HasMetadata>> KINDS =
      List.of(ConsumerGroupPolicy.class, MongoSink.class, LagMonitor.class);

  /** The mock API server logs every request through java.util.logging; keep it to warnings. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private LocalRunner() {}

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    int kafkaPort = Integer.getInteger("groupwarden.kafkaPort", 9092);
    int httpPort = Integer.getInteger("groupwarden.httpPort", 8080);
    Path sinkJar =
        Path.of(System.getProperty("groupwarden.sinkJar", "sink-image/target/sink.jar"))
            .toAbsolutePath();
    Path data = Files.createTempDirectory("groupwarden-local-");
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    List<AutoCloseable> started = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // registered first: whatever has started is stopped and the temporary directory removed on
    // Ctrl-C, even in the middle of the start
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = started.size() - 1; i >= 0; i--) {
                    try {
                      started.get(i).close();
                    } catch (Exception e) {
                      System.out.println("while stopping: " + e);
                    }
                  }
                  deleteRecursively(data);
                  System.out.println("stopped; removed " + data);
                  stopped.countDown();
                },
                "local-runner-stop"));

    Coordinator coordinator =
        Coordinator.start(
            CoordinatorConfig.parse(
                new String[] {
                  "--host", "127.0.0.1",
                  "--port", String.valueOf(kafkaPort),
                  "--http-port", "0",
                  "--advertised-host", "127.0.0.1",
                  "--default-partitions", "6",
                  "--group-initial-rebalance-delay", "0s",
                  "--data-dir", data.resolve("coordinator").toString()
                },
                Map.of()));
    started.add(coordinator);
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    started.add(mongo::shutdownNow);
    // started before the operator, so stopped after it: the operator's Redis connection must not
    // outlive the server and log its reconnection attempts
    Path redisServer = LocalRedis.findServer();
    LocalRedis redis = redisServer == null ? null : LocalRedis.start(redisServer, data);
    if (redis != null) {
      started.add(redis);
    }
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    started.add(api::destroy);
    KubernetesClient client = api.createClient();
    started.add(client);
    installCrds(client);
    GroupwardenOperator operator =
        new GroupwardenOperator(
            OperatorConfig.fromEnvironment(
                Map.of(
                    "GROUPWARDEN_HTTP_HOST",
                    "127.0.0.1",
                    "GROUPWARDEN_HTTP_PORT",
                    String.valueOf(httpPort),
                    "GROUPWARDEN_API_TOKEN",
                    token,
                    "GROUPWARDEN_LEADER_ELECTION",
                    "false",
                    "GROUPWARDEN_KAFKA_TIMEOUT",
                    "5s",
                    "GROUPWARDEN_SINK_RESYNC",
                    "5s")),
            client,
            Clock.systemUTC(),
            GroupwardenOperator.Mode.MOCK_API_SERVER);
    started.add(operator);
    operator.start();

    DemoWorkload workload = new DemoWorkload(coordinator.bootstrapServers());
    started.add(workload);
    workload.start();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("demo-mongo")
                .endMetadata()
                .addToStringData("uri", mongoUri)
                .build())
        .create();
    apply(client, demoResources(coordinator.bootstrapServers()));
    if (redis != null) {
      apply(client, redisMonitor(redis.uri()));
    }
    SinkWorkers workers = new SinkWorkers(client, NAMESPACE, sinkJar, data);
    started.add(workers);

    System.out.printf(
        Locale.ROOT,
        "%n groupwarden is running locally (everything on 127.0.0.1; data in %s)%n"
            + "   dashboard:                   http://127.0.0.1:%d/#token=%s%n"
            + "   Kafka (coordinator broker):  %s   e.g. kcat -b %s -L%n"
            + "   coordinator HTTP:            http://127.0.0.1:%d/consumer-groups%n"
            + "   operator metrics:            http://127.0.0.1:%d/metrics%n"
            + "   insight API:                 curl -H 'Authorization: Bearer %s'"
            + " http://127.0.0.1:%d/api/v1/consumers/groups%n"
            + "   insight API docs:            http://127.0.0.1:%d/api/docs%n"
            + "   Kubernetes API (mock):       %s (namespace %s)%n"
            + "   MongoDB wire store:          %s (database demo, collection orders)%n"
            + "   Redis Streams:               %s%n"
            + "   workload: group demo-billing keeps up, demo-shipping falls behind;"
            + " MongoSink demo-sink copies demo-orders into MongoDB%n"
            + " Ctrl-C stops everything.%n%n",
        data,
        operator.httpPort(),
        token,
        coordinator.bootstrapServers(),
        coordinator.bootstrapServers(),
        coordinator.httpPort(),
        operator.httpPort(),
        token,
        operator.httpPort(),
        operator.httpPort(),
        client.getMasterUrl(),
        NAMESPACE,
        mongoUri,
        redis == null
            ? "left out: redis-server is not on the PATH (apt-get install redis-server)"
            : redis.uri()
                + " stream "
                + LocalRedis.STREAM
                + ", group "
                + LocalRedis.GROUP
                + " (LagMonitor demo-redis)");

    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
    started.add(printer::shutdownNow);
    StatusPrinter status = new StatusPrinter(client, workers, mongo, mongoUri);
    printer.scheduleWithFixedDelay(
        () -> {
          status.startWorkersOnce();
          if (redis != null) {
            try {
              redis.tick(System.nanoTime() / 1_000_000_000L);
            } catch (RuntimeException e) {
              System.out.println("redis: " + e.getMessage());
            }
          }
        },
        1,
        2,
        TimeUnit.SECONDS);
    printer.scheduleWithFixedDelay(status::print, 5, 10, TimeUnit.SECONDS);
    stopped.await();
  }

  static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (java.io.IOException e) {
                  System.out.println("cannot remove " + path + ": " + e.getMessage());
                }
              });
    } catch (java.io.IOException e) {
      System.out.println("cannot remove " + dir + ": " + e.getMessage());
    }
  }

  static String redisMonitor(String uri) {
    return """
        apiVersion: groupwarden.io/v1alpha1
        kind: LagMonitor
        metadata: {name: demo-redis, namespace: demo}
        spec:
          redis: {uri: "%s", streams: [%s], groups: [%s]}
          interval: 5s
          thresholds: {degraded: 20, unhealthy: 200}
        """
        .formatted(uri, LocalRedis.STREAM, LocalRedis.GROUP);
  }

  static String demoResources(String bootstrap) {
    return """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata: {name: demo, namespace: demo}
        spec:
          kafka: {bootstrapServers: "%1$s"}
          groups: [demo-billing, demo-shipping]
          slo: {maxLagP95: 2s, window: 1m}
          stuck: {window: 1m}
          interval: 5s
        ---
        apiVersion: groupwarden.io/v1alpha1
        kind: LagMonitor
        metadata: {name: demo, namespace: demo}
        spec:
          kafka: {bootstrapServers: "%1$s", groupPattern: "demo-.*"}
          interval: 5s
          thresholds: {degraded: 100, unhealthy: 1000}
        ---
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata: {name: demo-sink, namespace: demo}
        spec:
          kafka: {bootstrapServers: "%1$s", topic: demo-orders}
          mongodb: {uriSecretRef: {name: demo-mongo, key: uri}, database: demo, collection: orders, writeConcern: w1}
          replicas: 1
        """
        .formatted(bootstrap);
  }

  static void apply(KubernetesClient client, String yaml) {
    for (String document : yaml.split("(?m)^---$")) {
      for (Class<? extends HasMetadata> kind : KINDS) {
        if (document.contains("kind: " + kind.getSimpleName())) {
          create(client, kind, document);
          break;
        }
      }
    }
  }

  private static <T extends HasMetadata> void create(
      KubernetesClient client, Class<T> kind, String document) {
    InputStream in = new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8));
    client
        .resources(kind)
        .inNamespace(NAMESPACE)
        .resource(client.resources(kind).load(in).item())
        .create();
  }

  /** The CRDs the operator jar carries, as generated from its types. */
  static void installCrds(KubernetesClient client) {
    for (String plural : List.of("consumergrouppolicies", "mongosinks", "lagmonitors")) {
      String resource = "META-INF/fabric8/" + plural + ".groupwarden.io-v1.yml";
      try (InputStream in = LocalRunner.class.getClassLoader().getResourceAsStream(resource)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
