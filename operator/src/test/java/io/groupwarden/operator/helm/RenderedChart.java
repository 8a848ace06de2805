package io.groupwarden.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.groupwarden.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The chart rendered offline by a real Helm 3 (helm-java) as release {@code gw} in namespace {@code
 * ops}, and the ways the chart tests look into what it rendered.
 */
final class RenderedChart {
  static final Path CHART = OperatorHarness.repositoryRoot().resolve("helm/groupwarden");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RenderedChart() {}

  /** Every Kubernetes object the chart renders with {@code values} set. */
  static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
    String text =
        values.apply(new Helm(CHART).template().withName("gw").withNamespace("ops")).call();
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && doc.has("kind")) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  /** The one object of {@code kind}; fails if there is none or more than one. */
  static JsonNode only(List<JsonNode> docs, String kind) {
    List<JsonNode> found = ofKind(docs, kind);
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  /** The operator Deployment's container. */
  static JsonNode operatorContainer(List<JsonNode> docs) {
    return ofKind(docs, "Deployment")
        .get(0)
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0);
  }

  /** The container's environment variable {@code name}; fails if it has none. */
  static JsonNode env(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (name.equals(env.path("name").asText())) {
        return env;
      }
    }
    throw new AssertionError("no env " + name);
  }

  /** The literal value of the container's environment variable {@code name}. */
  static String envValue(JsonNode container, String name) {
    return env(container, name).path("value").asText();
  }
}
