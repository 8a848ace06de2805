package io.groupwarden.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build fails when crds/ (or the Helm chart's copy) differs from what the Java types generate.
 * Run with {@code -Dgroupwarden.updateCrds=true} to rewrite them.
 */
class CrdFilesAreCurrentTest {
  private static final String HOW_TO_UPDATE =
      "regenerate with: ./mvnw -B -pl operator -am verify -Dtest=CrdFilesAreCurrentTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dgroupwarden.updateCrds=true";

  @Test
  void checkedInCrdsMatchTheTypes() throws IOException {
    Map<String, String> generated = GeneratedCrds.render();
    for (Path dir : new Path[] {GeneratedCrds.crdsDir(), GeneratedCrds.helmCrdsDir()}) {
      if (Boolean.getBoolean("groupwarden.updateCrds")) {
        write(dir, generated);
      }
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
            .as("CRD files in %s; %s", dir, HOW_TO_UPDATE)
            .containsExactlyElementsOf(generated.keySet().stream().sorted().toList());
      }
      for (Map.Entry<String, String> file : generated.entrySet()) {
        assertThat(Files.readString(dir.resolve(file.getKey())))
            .as("%s is stale; %s", dir.resolve(file.getKey()), HOW_TO_UPDATE)
            .isEqualTo(file.getValue());
      }
    }
  }

  private static void write(Path dir, Map<String, String> generated) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path file : old.toList()) {
        if (!generated.containsKey(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
  }
}
