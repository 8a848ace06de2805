package io.groupwarden.operator.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.common.ConditionedStatus;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an integration test class runs against, registered with {@code @RegisterExtension} on a
 * static field: the operator against the mock API server (started before the class's tests, closed
 * after them and after its {@code @AfterAll} methods), the shared Kafka broker and clients for it
 * (opened on first use), and the reads and waits the tests make on resources in the class's
 * namespace.
 */
public final class OperatorTestEnvironment implements BeforeAllCallback, AfterAllCallback {
  /** How long a test waits for the operator to reach what it asserts. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private final String namespace;
  private final Map<String, String> operatorEnv;
  private OperatorHarness harness;
  private KafkaTestClients kafka;

  private OperatorTestEnvironment(String namespace, Map<String, String> operatorEnv) {
    this.namespace = namespace;
    this.operatorEnv = operatorEnv;
  }

  /** The operator with default settings; resources live in {@code namespace}. */
  public static OperatorTestEnvironment inNamespace(String namespace) {
    return new OperatorTestEnvironment(namespace, Map.of());
  }

  /** The same with extra operator environment variables. */
  public OperatorTestEnvironment withOperatorEnv(Map<String, String> env) {
    return new OperatorTestEnvironment(namespace, env);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    harness = OperatorHarness.start(operatorEnv);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    harness.close();
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  public String namespace() {
    return namespace;
  }

  public OperatorHarness harness() {
    return harness;
  }

  public KubernetesClient client() {
    return harness.client();
  }

  /** The Kafka broker the tests of the module share. */
  public KafkaBroker broker() {
    return KafkaBroker.shared();
  }

  /** Producers, consumers and an Admin client on {@link #broker()}. */
  public synchronized KafkaTestClients kafka() {
    if (kafka == null) {
      kafka = new KafkaTestClients(broker().bootstrapServers());
    }
    return kafka;
  }

  /** Creates (or, with a resourceVersion, updates) the resource the YAML describes. */
  public <T extends HasMetadata> T apply(Class<T> type, String yaml) {
    return TestResources.apply(client(), type, namespace, yaml);
  }

  /**
   * Creates (or updates) the {@code type} resource {@code name} in this namespace with {@code
   * spec}, the lines under its {@code spec:} written without their indentation.
   */
  public <T extends HasMetadata> T applySpec(Class<T> type, String name, String spec) {
    return TestResources.applySpec(client(), type, namespace, name, spec);
  }

  /** A ConsumerGroupPolicy's spec on the shared broker: see {@link TestResources#policySpec}. */
  public String policySpec(String rest) {
    return TestResources.policySpec(broker().bootstrapServers(), rest);
  }

  /** The resources of one custom resource kind in this namespace. */
  public <R extends CustomResource<?, S>, S extends ConditionedStatus>
      CustomResources<R, S> resources(Class<R> type) {
    return new CustomResources<>(this, type);
  }

  /** Creates a Secret in this namespace holding one string entry. */
  public Secret createSecret(String name, String key, String value) {
    return TestResources.createSecret(client(), namespace, name, key, value);
  }

  /**
   * Creates a Deployment of one replica labelled {@code app: name}, running one container of {@code
   * image} with {@code args}: a consumer application a policy can scale.
   */
  public Deployment createDeployment(String name, String image, String... args) {
    return client()
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("consumer")
                .withImage(image)
                .withArgs(args)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  /** The Events about the named object with the given reason. */
  public List<Event> events(String involved, String reason) {
    return TestResources.events(client(), namespace, involved, reason);
  }

  /** Waits for an Event about the named object with the given reason. */
  public void awaitEvent(String involved, String reason) {
    await().atMost(PATIENCE).until(() -> !events(involved, reason).isEmpty());
  }

  /** The operator's Prometheus scrape. */
  public String scrape() {
    return TestResources.scrape(harness.operator()::httpPort);
  }
}
