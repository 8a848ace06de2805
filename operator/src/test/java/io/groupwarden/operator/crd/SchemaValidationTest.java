package io.groupwarden.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.groupwarden.operator.crd.CrdSchemas.Sample;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Samples validate against the generated openAPIV3Schema, and resources with the usual mistakes are
 * rejected by it, each for the reason named. The mock API server does not validate, so the schema
 * is checked here directly (the x-kubernetes-* keywords are ignored by the validator).
 */
class SchemaValidationTest {
  private static final Map<String, JsonNode> CRDS = CrdSchemas.crds();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

  static Set<ValidationMessage> validate(JsonNode resource) {
    JsonNode crd = CRDS.get(resource.path("kind").asText());
    assertThat(crd).as("a CRD for kind %s", resource.path("kind").asText()).isNotNull();
    JsonSchema schema = FACTORY.getSchema(CrdSchemas.schema(crd));
    return schema.validate(resource);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.groupwarden.operator.crd.CrdSchemas#groupwardenSamples")
  void everySampleIsValid(Sample sample) {
    assertThat(validate(sample.document())).as(sample.toString()).isEmpty();
  }

  /** A resource of {@code kind} whose spec is {@code spec}, written without its indentation. */
  private static JsonNode resource(String kind, String spec) {
    return CrdSchemas.yaml(
        "apiVersion: groupwarden.io/v1alpha1\nkind: %s\nmetadata: {name: mistaken}\nspec:\n%s"
            .formatted(kind, spec.indent(2)));
  }

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        Arguments.of(
            "an unknown SASL mechanism",
            "ConsumerGroupPolicy",
            """
            kafka:
              bootstrapServers: kafka:9092
              sasl: {mechanism: MD5, username: u, passwordSecretRef: {name: s, key: k}}
            groups: [g]
            """,
            "mechanism"),
        Arguments.of(
            "a compliance target above 1",
            "ConsumerGroupPolicy",
            """
            kafka: {bootstrapServers: kafka:9092}
            groups: [g]
            slo: {complianceTarget: 1.5}
            """,
            "complianceTarget"),
        Arguments.of(
            "a duration spelled out",
            "ConsumerGroupPolicy",
            """
            kafka: {bootstrapServers: kafka:9092}
            groups: [g]
            interval: 5 minutes
            """,
            "interval"),
        Arguments.of(
            "no kafka section",
            "ConsumerGroupPolicy",
            """
            groups: [g]
            """,
            "kafka"),
        Arguments.of(
            "groups as a string instead of a list",
            "ConsumerGroupPolicy",
            """
            kafka: {bootstrapServers: kafka:9092}
            groups: orders
            """,
            "groups"),
        Arguments.of(
            "a bootstrap address without a port",
            "ConsumerGroupPolicy",
            """
            kafka: {bootstrapServers: kafka}
            groups: [g]
            """,
            "bootstrapServers"),
        Arguments.of(
            "a negative replica count",
            "MongoSink",
            """
            kafka: {bootstrapServers: kafka:9092, topic: t}
            mongodb: {uriSecretRef: {name: m, key: uri}, database: d, collection: c}
            replicas: -1
            """,
            "replicas"),
        Arguments.of(
            "a MongoSink without its database",
            "MongoSink",
            """
            kafka: {bootstrapServers: kafka:9092, topic: t}
            mongodb: {uriSecretRef: {name: m, key: uri}, collection: c}
            """,
            "database"),
        Arguments.of(
            "an unknown outage behaviour",
            "MongoSink",
            """
            kafka: {bootstrapServers: kafka:9092, topic: t}
            mongodb: {uriSecretRef: {name: m, key: uri}, database: d, collection: c}
            onStoreOutage: drop
            """,
            "onStoreOutage"),
        Arguments.of(
            "a Redis URI of another scheme",
            "LagMonitor",
            """
            redis: {uri: "http://redis:6379", streams: [s]}
            """,
            "uri"),
        Arguments.of(
            "a LagMonitor with no streams",
            "LagMonitor",
            """
            redis: {uri: "redis://redis:6379"}
            """,
            "streams"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void aResourceWithAMistakeIsRejectedNamingTheField(
      String mistake, String kind, String spec, String field) {
    Set<ValidationMessage> errors = validate(resource(kind, spec));

    assertThat(errors).as(mistake).isNotEmpty();
    assertThat(errors.stream().map(ValidationMessage::getMessage).toList())
        .as(mistake)
        .anySatisfy(message -> assertThat(message).contains(field));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.groupwarden.operator.crd.CrdSchemas#groupwardenSamples")
  void theValidatorIsNotVacuous(Sample sample) {
    // the same sample with a list for its spec must be rejected: the schema is really applied
    ObjectNode broken = sample.document().deepCopy();
    broken.set("spec", CrdSchemas.yaml("[]"));
    assertThat(validate(broken)).isNotEmpty();
  }
}
