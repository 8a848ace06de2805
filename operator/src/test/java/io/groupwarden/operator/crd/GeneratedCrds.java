package io.groupwarden.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.support.OperatorHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRDs as the build generates them from the Java types, in the form checked into {@code crds/}:
 * fabric8's generator output with the printer columns in the order the types declare them (the
 * generator sorts them by JSONPath, which would put Age first).
 */
public final class GeneratedCrds {
  /** The custom resource classes, one CRD each. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(ConsumerGroupPolicy.class, MongoSink.class, LagMonitor.class);

  static final String HEADER =
      "# Generated from the Java types in operator/ by the build. Do not edit: change the types,"
          + " then run\n# ./mvnw -B -pl operator -am verify -Dtest=CrdFilesAreCurrentTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dgroupwarden.updateCrds=true\n";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private GeneratedCrds() {}

  /** File name in crds/ → content, for every kind. */
  public static Map<String, String> render() {
    Map<String, String> files = new LinkedHashMap<>();
    for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
      String crdName = CustomResource.getCRDName(kind);
      Path generated =
          Path.of("target", "classes", "META-INF", "fabric8", crdName + "-v1.yml").toAbsolutePath();
      try {
        ObjectNode crd = (ObjectNode) YAML.readTree(Files.readString(generated));
        orderPrinterColumns(crd, kind);
        files.put(crdName + ".yaml", HEADER + YAML.writeValueAsString(crd));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the generated CRD " + generated, e);
      }
    }
    return files;
  }

  /** The CRD files checked into the repository's crds/ folder. */
  public static Path crdsDir() {
    return OperatorHarness.repositoryRoot().resolve("crds");
  }

  /** The copy in the Helm chart. */
  public static Path helmCrdsDir() {
    return OperatorHarness.repositoryRoot().resolve("helm").resolve("groupwarden").resolve("crds");
  }

  /** Parses a CRD file as a tree. */
  public static JsonNode read(Path file) {
    try {
      return YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void orderPrinterColumns(ObjectNode crd, Class<?> kind) {
    List<String> order = new ArrayList<>();
    for (AdditionalPrinterColumn column :
        kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      order.add(column.name());
    }
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode columns = version.path("additionalPrinterColumns");
      if (!columns.isArray()) {
        continue;
      }
      List<JsonNode> sorted = new ArrayList<>();
      columns.forEach(sorted::add);
      sorted.sort(
          (a, b) ->
              Integer.compare(
                  rank(order, a.path("name").asText()), rank(order, b.path("name").asText())));
      ArrayNode reordered = ((ObjectNode) version).putArray("additionalPrinterColumns");
      sorted.forEach(reordered::add);
    }
  }

  private static int rank(List<String> order, String name) {
    int index = order.indexOf(name);
    return index < 0 ? Integer.MAX_VALUE : index;
  }
}
