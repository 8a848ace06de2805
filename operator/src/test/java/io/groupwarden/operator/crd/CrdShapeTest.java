package io.groupwarden.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Health;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.Summary;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import io.groupwarden.operator.support.MongoSinks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a real API server and kubectl would check or show, checked on the generated CRDs: the
 * schemas are structural, every field is described (kubectl explain), printer columns appear in the
 * documented order and their JSONPaths find values of their declared type on a populated resource,
 * and names, short names, category and subresources are as documented.
 */
class CrdShapeTest {
  private static final Map<String, JsonNode> CRDS = CrdSchemas.crds();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everySchemaIsStructural() {
    for (var crd : CRDS.entrySet()) {
      List<String> problems = new ArrayList<>();
      structural(CrdSchemas.schema(crd.getValue()), "", problems, false);
      assertThat(problems).as(crd.getKey()).isEmpty();
    }
  }

  private static void structural(
      JsonNode node, String path, List<String> problems, boolean inJunction) {
    boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean(false);
    boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (!inJunction && !intOrString && !preserve && !node.hasNonNull("type")) {
      problems.add(path + ": no type");
    }
    if (node.has("properties") && node.has("additionalProperties")) {
      problems.add(path + ": both properties and additionalProperties");
    }
    if (node.has("$ref")) {
      problems.add(path + ": $ref is not allowed");
    }
    if ("array".equals(node.path("type").asText()) && !node.has("items")) {
      problems.add(path + ": array without items");
    }
    for (String junction : List.of("allOf", "anyOf", "oneOf", "not")) {
      for (JsonNode branch :
          node.path(junction).isArray() ? node.path(junction) : List.of(node.path(junction))) {
        if (branch.isMissingNode()) {
          continue;
        }
        for (String forbidden :
            List.of("description", "default", "additionalProperties", "nullable")) {
          if (branch.has(forbidden)) {
            problems.add(path + "." + junction + ": " + forbidden + " inside a junction");
          }
        }
        if (branch.has("type") && !intOrString) {
          problems.add(path + "." + junction + ": type inside a junction");
        }
      }
    }
    node.path("properties")
        .fields()
        .forEachRemaining(
            field -> structural(field.getValue(), path + "." + field.getKey(), problems, false));
    if (node.has("items")) {
      structural(node.path("items"), path + "[]", problems, false);
    }
    if (node.path("additionalProperties").isObject()) {
      structural(node.path("additionalProperties"), path + "{}", problems, false);
    }
  }

  @Test
  void metadataIsLeftToTheApiServer() {
    for (var crd : CRDS.entrySet()) {
      JsonNode metadata = CrdSchemas.schema(crd.getValue()).path("properties").path("metadata");
      assertThat(metadata.path("properties").size()).as(crd.getKey()).isZero();
    }
  }

  /** Fields of Kubernetes' own ResourceRequirements carry no descriptions in fabric8's model. */
  private static final Set<String> EMBEDDED =
      Set.of(".spec.resources", ".spec.kafka.coordinator.resources");

  @Test
  void everyFieldHasADescriptionForKubectlExplain() {
    for (var crd : CRDS.entrySet()) {
      List<String> undescribed = new ArrayList<>();
      JsonNode root = CrdSchemas.schema(crd.getValue()).path("properties");
      for (String top : List.of("spec", "status")) {
        described(root.path(top), "." + top, undescribed);
      }
      assertThat(undescribed).as(crd.getKey()).isEmpty();
    }
  }

  private static void described(JsonNode node, String path, List<String> undescribed) {
    if (node.path("description").asText("").isBlank()) {
      undescribed.add(path);
    }
    if (EMBEDDED.contains(path)) {
      return;
    }
    node.path("properties")
        .fields()
        .forEachRemaining(
            field -> described(field.getValue(), path + "." + field.getKey(), undescribed));
    if (node.path("items").has("properties")) {
      node.path("items")
          .path("properties")
          .fields()
          .forEachRemaining(
              field -> described(field.getValue(), path + "[]." + field.getKey(), undescribed));
    }
  }

  @Test
  void namesShortNamesCategoryAndSubresources() {
    assertThat(CRDS.keySet())
        .containsExactlyInAnyOrder("ConsumerGroupPolicy", "MongoSink", "LagMonitor");
    Map<String, String> shortNames =
        Map.of("ConsumerGroupPolicy", "cgp", "MongoSink", "msink", "LagMonitor", "lagmon");
    for (var crd : CRDS.entrySet()) {
      JsonNode spec = crd.getValue().path("spec");
      assertThat(spec.path("group").asText()).isEqualTo("groupwarden.io");
      assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
      assertThat(spec.path("names").path("shortNames").get(0).asText())
          .isEqualTo(shortNames.get(crd.getKey()));
      assertThat(spec.path("names").path("categories").get(0).asText()).isEqualTo("groupwarden");
      JsonNode version = CrdSchemas.version(crd.getValue());
      assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
      assertThat(version.path("subresources").has("status")).as(crd.getKey()).isTrue();
    }
    JsonNode scale = CrdSchemas.version(CRDS.get("MongoSink")).path("subresources").path("scale");
    assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.replicas");
    assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
    assertThat(scale.path("labelSelectorPath").asText()).isEqualTo(".status.selector");
    assertThat(
            CrdSchemas.version(CRDS.get("ConsumerGroupPolicy")).path("subresources").has("scale"))
        .isFalse();
  }

  @Test
  void printerColumnsAreInTheDocumentedOrder() {
    assertThat(columnNames("ConsumerGroupPolicy"))
        .containsExactly(
            "Groups", "Health", "Total Lag", "SLO", "Gini", "Stuck", "Lost", "Catch Up", "Age");
    assertThat(columnNames("MongoSink"))
        .containsExactly("Topic", "Partitions", "Replicas", "Ready", "Lag", "Age");
    assertThat(columnNames("LagMonitor"))
        .containsExactly("Sources", "Total Lag", "Max Lag", "Health", "Age");
  }

  private static List<String> columnNames(String kind) {
    List<String> names = new ArrayList<>();
    CrdSchemas.version(CRDS.get(kind))
        .path("additionalPrinterColumns")
        .forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  @Test
  void everyPrinterColumnFindsAValueOfItsTypeOnAPopulatedResource() {
    ConsumerGroupPolicy policy = withMetadata(new ConsumerGroupPolicy());
    policy.setStatus(
        new ConsumerGroupPolicyStatus(
            3L,
            List.of(condition()),
            List.of(),
            null,
            new Summary(4, 1234L, 0.93, 0.41, 2, Health.Critical, 1200L, "not catching up"),
            null,
            null,
            "2026-11-24T10:00:00Z"));
    MongoSink sink = withMetadata(new MongoSink());
    sink.setSpec(MongoSinks.topic("orders").bootstrapServers("k:9092").spec());
    sink.setStatus(
        new MongoSinkStatus(1L, List.of(condition()), 6, 6, 5, 6, 420L, null, "app=x", "k:9092"));
    LagMonitor monitor = withMetadata(new LagMonitor());
    monitor.setStatus(
        new LagMonitorStatus(
            1L,
            List.of(condition()),
            List.of(),
            3,
            900L,
            800L,
            1,
            1,
            1,
            LagMonitorStatus.Health.unhealthy,
            "2026-11-24T10:00:00Z"));

    for (CustomResource<?, ?> resource : List.<CustomResource<?, ?>>of(policy, sink, monitor)) {
      JsonNode tree = JSON.valueToTree(resource);
      for (JsonNode column :
          CrdSchemas.version(CRDS.get(resource.getKind())).path("additionalPrinterColumns")) {
        JsonNode value = jsonPath(tree, column.path("jsonPath").asText());
        String label = resource.getKind() + " column " + column.path("name").asText();
        assertThat(value.isMissingNode() || value.isNull()).as(label + " has a value").isFalse();
        switch (column.path("type").asText()) {
          case "integer" ->
              assertThat(value.isIntegralNumber()).as(label + " is an integer").isTrue();
          case "number" -> assertThat(value.isNumber()).as(label + " is a number").isTrue();
          case "string" -> assertThat(value.isTextual()).as(label + " is a string").isTrue();
          case "date" -> assertThat(java.time.Instant.parse(value.asText())).as(label).isNotNull();
          default -> throw new AssertionError(label + ": unexpected type " + column.path("type"));
        }
      }
    }
  }

  /** The simple JSONPaths printer columns use: {@code .a.b.c}. */
  private static JsonNode jsonPath(JsonNode tree, String path) {
    JsonNode node = tree;
    for (String step : path.substring(1).split("\\.")) {
      node = node.path(step);
    }
    return node;
  }

  private static <T extends CustomResource<?, ?>> T withMetadata(T resource) {
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withNamespace("ns")
            .withCreationTimestamp("2026-11-24T09:00:00Z")
            .build());
    return resource;
  }

  private static Condition condition() {
    return new Condition("Ready", "True", "Evaluated", "ok", "2026-11-24T10:00:00Z", 1L);
  }
}
