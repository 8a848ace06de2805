package io.groupwarden.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import io.groupwarden.operator.crd.CrdSchemas.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CEL rule of the CRDs ({@code x-kubernetes-validations}) compiles and is evaluated the way
 * the API server does: against the object the rule sits on, bound to {@code self}, only when that
 * object is present. Samples pass every rule; for each rule an invalid resource breaks exactly it.
 */
class CelRulesTest {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();

  /** A rule and the schema path of the object it sits on. */
  record Rule(String kind, List<String> path, String expression, String message) {}

  static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    CrdSchemas.crds()
        .forEach((kind, crd) -> collect(kind, CrdSchemas.schema(crd), new ArrayList<>(), rules));
    return rules;
  }

  private static void collect(String kind, JsonNode schema, List<String> path, List<Rule> rules) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      rules.add(
          new Rule(
              kind, List.copyOf(path), rule.path("rule").asText(), rule.path("message").asText()));
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              path.add(field.getKey());
              collect(kind, field.getValue(), path, rules);
              path.remove(path.size() - 1);
            });
    if (schema.has("items")) {
      path.add("[]");
      collect(kind, schema.path("items"), path, rules);
      path.remove(path.size() - 1);
    }
  }

  /** The rules that fail on a resource. */
  static List<String> failures(JsonNode resource) {
    List<String> failed = new ArrayList<>();
    for (Rule rule : rules()) {
      if (!rule.kind().equals(resource.path("kind").asText())) {
        continue;
      }
      for (JsonNode target : targets(resource, rule.path(), 0)) {
        if (!evaluate(rule.expression(), toCel(target))) {
          failed.add(rule.message());
        }
      }
    }
    return failed;
  }

  private static List<JsonNode> targets(JsonNode node, List<String> path, int index) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (index == path.size()) {
      return List.of(node);
    }
    String step = path.get(index);
    if (step.equals("[]")) {
      List<JsonNode> all = new ArrayList<>();
      node.forEach(item -> all.addAll(targets(item, path, index + 1)));
      return all;
    }
    return targets(node.get(step), path, index + 1);
  }

  static boolean evaluate(String expression, Object self) {
    try {
      CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
      CelRuntime.Program program = CEL.createProgram(ast);
      return Boolean.TRUE.equals(program.eval(Map.of("self", self)));
    } catch (Exception e) {
      throw new AssertionError(
          "CEL rule '" + expression + "' does not evaluate: " + e.getMessage(), e);
    }
  }

  /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  @Test
  void everyRuleCompiles() throws Exception {
    List<Rule> rules = rules();
    assertThat(rules).hasSizeGreaterThanOrEqualTo(12);
    for (Rule rule : rules) {
      assertThat(CEL.compile(rule.expression()).getAst()).as(rule.expression()).isNotNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.groupwarden.operator.crd.CrdSchemas#groupwardenSamples")
  void everySamplePassesEveryRule(Sample sample) {
    assertThat(failures(sample.document())).as(sample.toString()).isEmpty();
  }

  static Stream<Arguments> brokenResources() {
    return Stream.of(
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {bootstrapServers: "k:9092", coordinator: {}}
              groups: [g]
            """,
            "set exactly one of spec.kafka.bootstrapServers and spec.kafka.coordinator"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {coordinator: {}, sasl: {mechanism: PLAIN, username: u, passwordSecretRef: {name: s, key: p}}}
              groups: [g]
            """,
            "spec.kafka.tls and spec.kafka.sasl apply to bootstrapServers only"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {bootstrapServers: "k:9092"}
              groups: [g]
              groupPattern: "g.*"
            """,
            "set exactly one of spec.groups and spec.groupPattern"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {bootstrapServers: "k:9092"}
              groups: [g]
              slo: {maxLagP95: 1s, maxLagP95Messages: 10}
            """,
            "set at most one of spec.slo.maxLagP95 and spec.slo.maxLagP95Messages"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {bootstrapServers: "k:9092"}
              groups: [g]
              autoscale: {targetRef: {kind: Deployment, name: d}, maxReplicas: 3}
            """,
            "set exactly one of spec.autoscale.lagPerReplica and spec.autoscale.targetLagSeconds"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka: {bootstrapServers: "k:9092"}
              groups: [g]
              autoscale: {targetRef: {kind: Deployment, name: d}, minReplicas: 5, maxReplicas: 3, lagPerReplica: 10}
            """,
            "spec.autoscale.minReplicas must not exceed spec.autoscale.maxReplicas"),
        Arguments.of(
            """
            kind: ConsumerGroupPolicy
            spec:
              kafka:
                bootstrapServers: "k:9092"
                sasl: {mechanism: PLAIN, passwordSecretRef: {name: s, key: p}}
              groups: [g]
            """,
            "set exactly one of sasl.username and sasl.usernameSecretRef"),
        Arguments.of(
            """
            kind: MongoSink
            spec:
              kafka: {topic: t}
              mongodb: {uriSecretRef: {name: m, key: u}, database: d, collection: c}
            """,
            "set exactly one of spec.kafka.bootstrapServers and spec.kafka.policyRef"),
        Arguments.of(
            """
            kind: MongoSink
            spec:
              kafka: {bootstrapServers: "k:9092", topic: t}
              mongodb: {uriSecretRef: {name: m, key: u}, database: d, collection: c}
              autoscale: {minReplicas: 4, maxReplicas: 2, lagPerReplica: 10}
            """,
            "spec.autoscale.minReplicas must not exceed spec.autoscale.maxReplicas"),
        Arguments.of(
            """
            kind: LagMonitor
            spec:
              interval: 10s
            """,
            "set spec.kafka, spec.redis or both"),
        Arguments.of(
            """
            kind: LagMonitor
            spec:
              kafka: {bootstrapServers: "k:9092", policyRef: {name: p}, groups: [g]}
            """,
            "set exactly one of spec.kafka.bootstrapServers and spec.kafka.policyRef"),
        Arguments.of(
            """
            kind: LagMonitor
            spec:
              kafka: {bootstrapServers: "k:9092"}
            """,
            "set exactly one of spec.kafka.groups and spec.kafka.groupPattern"),
        Arguments.of(
            """
            kind: LagMonitor
            spec:
              redis: {streams: [s]}
            """,
            "set exactly one of spec.redis.uri and spec.redis.uriSecretRef"),
        Arguments.of(
            """
            kind: LagMonitor
            spec:
              redis: {uri: "redis://r:6379", streams: [s]}
              thresholds: {degraded: 500, unhealthy: 100}
            """,
            "spec.thresholds.degraded must be below spec.thresholds.unhealthy"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("brokenResources")
  void eachRuleRejectsTheResourceThatBreaksIt(String yaml, String message) {
    assertThat(failures(CrdSchemas.yaml(yaml))).containsExactly(message);
  }

  @Test
  void everyRuleIsExercisedByABrokenResource() {
    List<String> exercised =
        brokenResources().map(arguments -> (String) arguments.get()[1]).toList();
    assertThat(exercised).containsAll(rules().stream().map(Rule::message).distinct().toList());
  }
}
