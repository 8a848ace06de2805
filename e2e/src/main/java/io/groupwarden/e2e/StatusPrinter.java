package io.groupwarden.e2e;

import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.sink.customresource.MongoSink;
import java.util.List;
import java.util.Locale;

/** Prints the policy the way {@code kubectl get cgp} and {@code kubectl describe} would. */
final class StatusPrinter {
  private final KubernetesClient client;
  private final SinkWorkers workers;
  private final MongoServer mongo;
  private final String mongoUri;
  private boolean workersStarted;
  private int eventsShown;

  StatusPrinter(KubernetesClient client, SinkWorkers workers, MongoServer mongo, String mongoUri) {
    this.client = client;
    this.workers = workers;
    this.mongo = mongo;
    this.mongoUri = mongoUri;
  }

  /** Starts the sink workers once the operator has written their StatefulSet. */
  synchronized void startWorkersOnce() {
    if (workersStarted) {
      return;
    }
    try {
      StatefulSet set =
          client
              .apps()
              .statefulSets()
              .inNamespace(LocalRunner.NAMESPACE)
              .withName("demo-sink-worker")
              .get();
      if (set != null && set.getSpec().getReplicas() != null) {
        int count = workers.start(set);
        workersStarted = true;
        System.out.println(
            "started "
                + count
                + " sink worker(s) (java -jar sink.jar) with the environment of StatefulSet"
                + " demo-sink-worker");
      }
    } catch (RuntimeException e) {
      System.out.println("sink workers not started: " + e.getMessage());
    }
  }

  private void printOthers() {
    for (LagMonitor monitor :
        client.resources(LagMonitor.class).inNamespace(LocalRunner.NAMESPACE).list().getItems()) {
      var s = monitor.getStatus();
      System.out.printf(
          Locale.ROOT,
          "  lagmonitor %-11s sources=%s total lag=%s health=%s%n",
          monitor.getMetadata().getName(),
          s == null ? "?" : s.sourceCount(),
          s == null ? "?" : s.totalLag(),
          s == null ? "?" : s.health());
    }
    MongoSink sink =
        client
            .resources(MongoSink.class)
            .inNamespace(LocalRunner.NAMESPACE)
            .withName("demo-sink")
            .get();
    long documents;
    try (var reader = MongoClients.create(mongoUri)) {
      documents = reader.getDatabase("demo").getCollection("orders").countDocuments();
    }
    System.out.printf(
        Locale.ROOT,
        "  mongosink  demo-sink   workers=%d running, lag=%s, documents in MongoDB=%d%n",
        workers.running(),
        sink == null || sink.getStatus() == null ? "?" : sink.getStatus().lag(),
        documents);
  }

  void print() {
    try {
      ConsumerGroupPolicy policy =
          client
              .resources(ConsumerGroupPolicy.class)
              .inNamespace(LocalRunner.NAMESPACE)
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
      List<Event> events =
          client.v1().events().inNamespace(LocalRunner.NAMESPACE).list().getItems();
      for (Event event : events.subList(Math.min(eventsShown, events.size()), events.size())) {
        System.out.printf(
            Locale.ROOT,
            "  event %-7s %-20s %s%n",
            event.getType(),
            event.getReason(),
            event.getMessage());
      }
      eventsShown = events.size();
      printOthers();
      System.out.println();
    } catch (RuntimeException e) {
      System.out.println("status not available: " + e.getMessage());
    }
  }
}
