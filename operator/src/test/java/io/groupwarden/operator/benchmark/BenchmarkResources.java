package io.groupwarden.operator.benchmark;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.TestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * The custom resources of the benchmark, as a user would apply them: policy {@code i} and monitor
 * {@code i} both watch groups {@code 5i .. 5i+4}; sink {@code i} reads topic {@code i % topics} in
 * a group of its own that has not committed yet, with one worker per partition.
 */
record BenchmarkResources(
    KubernetesClient client, String bootstrap, String interval, ScaleWorkload workload) {
  static final String NAMESPACE = "bench";
  static final int GROUPS_PER_RESOURCE = 5;

  /** The namespace and the Secret the sinks name. */
  void prepareNamespace() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    TestResources.createSecret(client, NAMESPACE, "mongo", "uri", "mongodb://127.0.0.1:27017");
  }

  static String policyName(int i) {
    return "policy-%04d".formatted(i);
  }

  static String monitorName(int i) {
    return "monitor-%04d".formatted(i);
  }

  static String sinkName(int i) {
    return "sink-%03d".formatted(i);
  }

  /**
   * Creates policies, monitors and sinks with indexes in the given ranges, interleaved as a busy
   * cluster's users would apply them; {@code created} hears of each right after the API server took
   * it.
   */
  void create(
      int fromPolicy, int toPolicy, int fromSink, int toSink, BiConsumer<String, Long> created) {
    List<Runnable> creations = new ArrayList<>();
    for (int i = fromPolicy; i < toPolicy; i++) {
      int index = i;
      creations.add(
          () -> create(ConsumerGroupPolicy.class, policyName(index), policy(index), created));
      creations.add(() -> create(LagMonitor.class, monitorName(index), monitor(index), created));
    }
    int policies = toPolicy - fromPolicy;
    int sinks = toSink - fromSink;
    for (int s = 0; s < sinks; s++) {
      int index = fromSink + s;
      // spread the sinks among the others
      int at = Math.min(creations.size(), (int) ((long) (s + 1) * 2 * policies / sinks));
      creations.add(at, () -> create(MongoSink.class, sinkName(index), sink(index), created));
    }
    creations.forEach(Runnable::run);
  }

  private <T extends HasMetadata> void create(
      Class<T> type, String name, String spec, BiConsumer<String, Long> created) {
    T resource =
        TestResources.apply(
            client, type, NAMESPACE, TestResources.yaml(type, name, NAMESPACE, spec));
    created.accept(StatusWatch.key(resource), System.nanoTime());
  }

  private String groups(int i) {
    return String.join(
        ", ",
        IntStream.range(i * GROUPS_PER_RESOURCE, (i + 1) * GROUPS_PER_RESOURCE)
            .mapToObj(ScaleWorkload::group)
            .toList());
  }

  /** The spec of policy {@code i}. */
  String policy(int i) {
    return """
        kafka: {bootstrapServers: "%s"}
        groups: [%s]
        interval: %s
        """
        .formatted(bootstrap, groups(i), interval);
  }

  /** The spec of monitor {@code i}. */
  String monitor(int i) {
    return """
        kafka:
          bootstrapServers: "%s"
          groups: [%s]
        interval: %s
        """
        .formatted(bootstrap, groups(i), interval);
  }

  /** The spec of sink {@code i}. */
  String sink(int i) {
    return """
        kafka:
          bootstrapServers: "%s"
          topic: %s
          groupId: %s
        mongodb:
          uriSecretRef: {name: mongo, key: uri}
          database: bench
          collection: %s
        """
        .formatted(bootstrap, ScaleWorkload.topic(i % workload.topics()), sinkName(i), sinkName(i));
  }
}
