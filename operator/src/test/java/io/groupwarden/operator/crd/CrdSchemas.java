package io.groupwarden.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The checked-in CRDs and samples, read as trees, for tests the mock API server cannot do. */
final class CrdSchemas {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private CrdSchemas() {}

  /** Kind → its CRD. */
  static Map<String, JsonNode> crds() {
    Map<String, JsonNode> crds = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(GeneratedCrds.crdsDir())) {
      for (Path file : files.sorted().toList()) {
        JsonNode crd = GeneratedCrds.read(file);
        crds.put(crd.path("spec").path("names").path("kind").asText(), crd);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  static JsonNode version(JsonNode crd) {
    return crd.path("spec").path("versions").get(0);
  }

  static JsonNode schema(JsonNode crd) {
    return version(crd).path("schema").path("openAPIV3Schema");
  }

  /** Every document of every file in samples/, in file order. */
  /** The samples of this project's own kinds, for the tests that take one sample each. */
  static Stream<Sample> groupwardenSamples() {
    return samples().stream().filter(Sample::isGroupwarden);
  }

  static List<Sample> samples() {
    List<Sample> samples = new ArrayList<>();
    Path dir = GeneratedCrds.crdsDir().getParent().resolve("samples");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
          for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
            if (doc != null && !doc.isNull()) {
              samples.add(new Sample(file.getFileName().toString(), doc));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }

  /** One sample document. */
  record Sample(String file, JsonNode document) {
    String kind() {
      return document.path("kind").asText();
    }

    boolean isGroupwarden() {
      return document.path("apiVersion").asText().startsWith("groupwarden.io/");
    }

    @Override
    public String toString() {
      return file + ":" + kind() + "/" + document.path("metadata").path("name").asText();
    }
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
