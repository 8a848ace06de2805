package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.coordinator.CoordinatorConfig;
import io.groupwarden.operator.policy.coordinator.CoordinatorModel;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.SinkModel;
import io.groupwarden.operator.sink.SinkPlan;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.sink.config.SinkConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resource says reaches the processes the operator configures with it: every duration a CRD
 * accepts is read by the operator and, through the environment the operator writes, by the
 * coordinator broker's and the sink worker's own configuration parsers, to the same value; and
 * every variable the operator writes is one the process reads.
 */
class ProcessConfigurationPathTest {
  /** Where the test puts the files the pod would have mounted from the coordinator's Secrets. */
  @TempDir static Path mounts;

  /** Values the CRDs' duration pattern accepts, in every form the grammar has. */
  private static final List<String> DURATIONS =
      List.of("500ms", "30s", "10m", "2h", "1d", "1h30m", "1.5s", "2d3h4m5s6ms", "0.5h");

  /**
   * Every duration field of every CRD, by kind and path. A new duration field fails this test until
   * it is added here and, if a process reads it, given a check below.
   */
  private static final List<String> DURATION_FIELDS =
      List.of(
          "ConsumerGroupPolicy spec.autoscale.scaleDownStabilization",
          "ConsumerGroupPolicy spec.interval",
          "ConsumerGroupPolicy spec.kafka.coordinator.offsetsRetention",
          "ConsumerGroupPolicy spec.kafka.coordinator.rebalanceTimeout",
          "ConsumerGroupPolicy spec.kafka.coordinator.sessionTimeout",
          // read by the operator only (certificates it creates), covered by the operator's parser
          "ConsumerGroupPolicy spec.kafka.coordinator.tls.renewBefore",
          "ConsumerGroupPolicy spec.kafka.coordinator.tls.validity",
          "ConsumerGroupPolicy spec.rebalance.window",
          "ConsumerGroupPolicy spec.recoveryTime",
          "ConsumerGroupPolicy spec.slo.maxLagP95",
          "ConsumerGroupPolicy spec.slo.window",
          "ConsumerGroupPolicy spec.stuck.window",
          "LagMonitor spec.interval",
          "MongoSink spec.autoscale.scaleDownStabilization",
          "MongoSink spec.batch.retryBackoff");

  @Test
  void theDurationFieldsOfTheCrdsAreTheOnesThisTestKnows() throws IOException {
    assertThat(durationFieldsOfTheCrds()).containsExactlyInAnyOrderElementsOf(DURATION_FIELDS);
  }

  @Test
  void everyDurationTheCrdsAcceptIsAcceptedByTheOperator() {
    for (String text : DURATIONS) {
      assertThat(text).matches(KubeDuration.PATTERN);
      assertThat(KubeDuration.parse(text)).as(text).isPositive();
    }
  }

  @Test
  void aManagedCoordinatorReadsTheOffsetsRetentionThePolicyGives() {
    for (String text : DURATIONS) {
      CoordinatorConfig broker = brokerConfiguredBy(policyWithOffsetsRetention(text));
      assertThat(broker.groups().offsetsRetention()).as(text).isEqualTo(KubeDuration.parse(text));
    }
  }

  @Test
  void theClientPropertiesCarryThePolicysSessionAndRebalanceTimeouts() throws IOException {
    for (String text : List.of("45s", "1m30s", "1.5s")) {
      ConsumerGroupPolicy withTimeouts =
          policy(
              """
              sessionTimeout: %s
              rebalanceTimeout: %s
              """
                  .formatted(text, text));
      String properties =
          CoordinatorModel.of(withTimeouts, "coordinator:test")
              .configMap()
              .getData()
              .get("client.properties");
      java.util.Properties read = new java.util.Properties();
      read.load(new java.io.StringReader(properties));
      long millis = KubeDuration.parse(text).toMillis();
      assertThat(read.getProperty("session.timeout.ms")).isEqualTo(String.valueOf(millis));
      assertThat(read.getProperty("max.poll.interval.ms")).isEqualTo(String.valueOf(millis));
    }
  }

  @Test
  void everyVariableTheOperatorWritesForTheCoordinatorIsOneTheBrokerReads() {
    Map<String, String> written = coordinatorEnvironment(policyWithOffsetsRetention("1h30m"));
    String documented = CoordinatorConfig.usage(Map.of());
    for (String variable : written.keySet()) {
      assertThat(documented).as("the broker reads %s", variable).contains(variable);
    }
    CoordinatorConfig broker = CoordinatorConfig.parse(new String[0], written);
    assertThat(broker.groups().offsetsRetention()).isEqualTo(Duration.ofMinutes(90));
    assertThat(broker.dataDir().toString()).isEqualTo(written.get("COORDINATOR_DATA_DIR"));
  }

  @Test
  void aSinkWorkerReadsTheRetryBackoffTheMongoSinkGives() {
    for (String text : DURATIONS) {
      SinkConfig worker = SinkConfig.fromEnvironment(sinkEnvironment(sinkWithRetryBackoff(text)));
      assertThat(worker.batch().retryBackoff()).as(text).isEqualTo(KubeDuration.parse(text));
    }
  }

  @Test
  void everyVariableTheOperatorWritesForTheSinkIsOneTheWorkerReads() {
    Map<String, String> written = sinkEnvironment(sinkWithRetryBackoff("1d"));
    assertThat(written).containsKeys("SINK_TOPIC", "SINK_RETRY_BACKOFF", "SINK_MONGODB_URI");
    assertThat(SinkConfig.unknownVariables(written)).isEmpty();
  }

  // --- resources, as users write them -------------------------------------------------------

  private static ConsumerGroupPolicy policyWithOffsetsRetention(String text) {
    return policy("offsetsRetention: " + text + "\n");
  }

  private static ConsumerGroupPolicy policy(String coordinatorFields) {
    String yaml =
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: ConsumerGroupPolicy
        metadata:
          name: payments
          namespace: shop
        spec:
          kafka:
            coordinator:
        %s
          groups: [payments]
        """
            .formatted(coordinatorFields.indent(6).stripTrailing());
    return Serialization.unmarshal(yaml, ConsumerGroupPolicy.class);
  }

  private static MongoSink sinkWithRetryBackoff(String text) {
    String yaml =
        """
        apiVersion: groupwarden.io/v1alpha1
        kind: MongoSink
        metadata:
          name: orders-sink
          namespace: shop
        spec:
          kafka:
            bootstrapServers: kafka:9092
            topic: orders
          mongodb:
            uriSecretRef: {name: mongo, key: uri}
            database: shop
            collection: orders
          batch:
            retryBackoff: %s
        """
            .formatted(text);
    return Serialization.unmarshal(yaml, MongoSink.class);
  }

  // --- the environment the operator writes, as the process would see it ---------------------

  private static Map<String, String> coordinatorEnvironment(ConsumerGroupPolicy policy) {
    Map<String, String> env = new HashMap<>();
    CoordinatorModel.of(policy, "coordinator:test")
        .configMap()
        .getData()
        .forEach(
            (key, value) -> {
              if (key.startsWith("COORDINATOR_")) {
                env.put(key, value.startsWith(MOUNTED) ? mounted(value) : value);
              }
            });
    return env;
  }

  private static final String MOUNTED = "/etc/groupwarden/";

  /**
   * A file of a mounted Secret (certificate, key, users file, HTTP token), which the broker checks
   * is readable: a stand-in with some content under {@link #mounts}.
   */
  private static String mounted(String podPath) {
    Path file = mounts.resolve(podPath.substring(MOUNTED.length()));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, "mounted " + file.getFileName());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
  }

  private static CoordinatorConfig brokerConfiguredBy(ConsumerGroupPolicy policy) {
    return CoordinatorConfig.parse(new String[0], coordinatorEnvironment(policy));
  }

  private static Map<String, String> sinkEnvironment(MongoSink sink) {
    Map<String, String> env = new HashMap<>();
    // What Kubernetes adds: the pod name, and the values of the Secrets the variables refer to.
    env.put("HOSTNAME", "orders-sink-worker-0");
    SinkPlan plan = new SinkPlan("kafka:9092", "orders-sink", "orders.dlq", 3);
    for (EnvVar var :
        SinkModel.of(sink, plan, "sink:test")
            .statefulSet()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getSecretKeyRef() != null) {
        env.put(var.getName(), "mongodb://127.0.0.1:27017/shop");
      } else if (var.getValueFrom().getFieldRef() != null) {
        env.put(var.getName(), "orders-sink-worker-0");
      }
    }
    env.keySet().removeIf(name -> !name.startsWith("SINK_") && !name.equals("HOSTNAME"));
    return env;
  }

  // --- the CRDs ----------------------------------------------------------------------------

  private static List<String> durationFieldsOfTheCrds() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> fields = new ArrayList<>();
    Path crds = Path.of("..", "crds");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(crds, "*.yaml")) {
      for (Path file : files) {
        JsonNode crd = yaml.readTree(file.toFile());
        String kind = crd.at("/spec/names/kind").asText();
        for (JsonNode version : crd.at("/spec/versions")) {
          collect(kind, version.at("/schema/openAPIV3Schema/properties/spec"), fields, "spec");
        }
      }
    }
    return new ArrayList<>(new TreeSet<>(fields));
  }

  private static void collect(String kind, JsonNode schema, List<String> fields, String path) {
    if (KubeDuration.PATTERN.equals(schema.path("pattern").asText(null))) {
      fields.add(kind + " " + path);
    }
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      collect(kind, property.getValue(), fields, path + "." + property.getKey());
    }
    if (schema.has("items")) {
      collect(kind, schema.get("items"), fields, path + "[]");
    }
  }
}
