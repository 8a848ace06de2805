package io.groupwarden.e2e;

import io.fabric8.kubernetes.api.model.Event;
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
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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
  private static final String NAMESPACE = "demo";

  /** The mock API server logs every request through java.util.logging; keep it to warnings. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private LocalRunner() {}

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    int kafkaPort = Integer.getInteger("groupwarden.kafkaPort", 9092);
    int httpPort = Integer.getInteger("groupwarden.httpPort", 8080);
    Path data = Files.createTempDirectory("groupwarden-local-");
    String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

    Coordinator coordinator =
        Coordinator.start(
            CoordinatorConfig.parse(
                new String[] {
                  "--port", String.valueOf(kafkaPort),
                  "--http-port", "0",
                  "--advertised-host", "127.0.0.1",
                  "--default-partitions", "6",
                  "--group-initial-rebalance-delay", "0s",
                  "--data-dir", data.resolve("coordinator").toString()
                },
                Map.of()));
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    api.init();
    KubernetesClient client = api.createClient();
    installCrds(client);
    GroupwardenOperator operator =
        new GroupwardenOperator(
            OperatorConfig.fromEnvironment(
                Map.of(
                    "GROUPWARDEN_HTTP_PORT",
                    String.valueOf(httpPort),
                    "GROUPWARDEN_API_TOKEN",
                    token,
                    "GROUPWARDEN_LEADER_ELECTION",
                    "false",
                    "GROUPWARDEN_KAFKA_TIMEOUT",
                    "5s")),
            client,
            Clock.systemUTC(),
            GroupwardenOperator.Mode.MOCK_API_SERVER);
    operator.start();

    DemoWorkload workload = new DemoWorkload(coordinator.bootstrapServers());
    workload.start();
    apply(client, demoResources(coordinator.bootstrapServers()));

    System.out.printf(
        Locale.ROOT,
        "%n groupwarden is running locally%n"
            + "   Kafka (coordinator broker):  %s   e.g. kcat -b %s -L%n"
            + "   coordinator HTTP:            http://127.0.0.1:%d/consumer-groups%n"
            + "   operator metrics:            http://127.0.0.1:%d/metrics%n"
            + "   dashboard:                   http://127.0.0.1:%d/#token=%s%n"
            + "   insight API token:           %s   (API docs: http://127.0.0.1:%d/api/docs)%n"
            + "   Kubernetes API (mock):       %s (namespace %s)%n"
            + "   workload: group demo-billing keeps up, demo-shipping falls behind%n"
            + " Ctrl-C stops everything.%n%n",
        coordinator.bootstrapServers(),
        coordinator.bootstrapServers(),
        coordinator.httpPort(),
        operator.httpPort(),
        operator.httpPort(),
        token,
        token,
        operator.httpPort(),
        client.getMasterUrl(),
        NAMESPACE);

    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
    StatusPrinter status = new StatusPrinter(client);
    printer.scheduleWithFixedDelay(status::print, 5, 10, TimeUnit.SECONDS);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  printer.shutdownNow();
                  workload.close();
                  operator.close();
                  client.close();
                  api.destroy();
                  coordinator.close();
                  stopped.countDown();
                }));
    stopped.await();
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
        """
        .formatted(bootstrap);
  }

  static void apply(KubernetesClient client, String yaml) {
    for (String document : yaml.split("(?m)^---$")) {
      InputStream in = new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8));
      if (document.contains("kind: ConsumerGroupPolicy")) {
        client
            .resources(ConsumerGroupPolicy.class)
            .inNamespace(NAMESPACE)
            .resource(client.resources(ConsumerGroupPolicy.class).load(in).item())
            .create();
      } else if (document.contains("kind: LagMonitor")) {
        client
            .resources(LagMonitor.class)
            .inNamespace(NAMESPACE)
            .resource(client.resources(LagMonitor.class).load(in).item())
            .create();
      }
    }
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

  /** Prints the policy the way {@code kubectl get cgp} and {@code kubectl describe} would. */
  static final class StatusPrinter {
    private final KubernetesClient client;
    private int eventsShown;

    StatusPrinter(KubernetesClient client) {
      this.client = client;
    }

    void print() {
      try {
        ConsumerGroupPolicy policy =
            client
                .resources(ConsumerGroupPolicy.class)
                .inNamespace(NAMESPACE)
                .withName("demo")
                .get();
        ConsumerGroupPolicyStatus status = policy == null ? null : policy.getStatus();
        if (status == null || status.summary() == null) {
          System.out.println("waiting for the first evaluation...");
          return;
        }
        System.out.printf(
            Locale.ROOT,
            "%-8s %-7s %-9s %-10s %-6s %-6s %-5s%n",
            "NAME",
            "GROUPS",
            "HEALTH",
            "TOTAL LAG",
            "SLO",
            "GINI",
            "STUCK");
        var s = status.summary();
        System.out.printf(
            Locale.ROOT,
            "%-8s %-7s %-9s %-10s %-6s %-6s %-5s%n",
            "demo",
            s.groups(),
            s.health(),
            s.totalLag(),
            s.worstCompliance(),
            s.worstGini(),
            s.stuck());
        if (status.groups() != null) {
          for (GroupStatus g : status.groups()) {
            System.out.printf(
                Locale.ROOT,
                "  %-14s %-11s members=%d lag=%d p95=%ss slo=%s -> %s%n",
                g.groupId(),
                g.state(),
                g.members(),
                g.lag().total(),
                g.lagSeconds() == null ? "?" : g.lagSeconds().p95(),
                g.sloCompliance(),
                g.recommendation());
          }
        }
        List<Event> events = client.v1().events().inNamespace(NAMESPACE).list().getItems();
        for (Event event : events.subList(Math.min(eventsShown, events.size()), events.size())) {
          System.out.printf(
              Locale.ROOT,
              "  event %-7s %-20s %s%n",
              event.getType(),
              event.getReason(),
              event.getMessage());
        }
        eventsShown = events.size();
        System.out.println();
      } catch (RuntimeException e) {
        System.out.println("status not available: " + e.getMessage());
      }
    }
  }
}
