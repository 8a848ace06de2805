package io.groupwarden.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The three Dockerfiles (no image can be built here, so what can be read is checked): non-root,
 * OCI-labelled, the entrypoint runs the jar the file copies in, the JVM sized to the container; and
 * the image names the chart, the operator and the README use are the same.
 */
class ImagesTest {
  private static final Path ROOT = OperatorHarness.repositoryRoot();
  private static final List<String> DOCKERFILES =
      List.of("operator/Dockerfile", "coordinator-image/Dockerfile", "sink-image/Dockerfile");

  @Test
  void everyImageRunsNonRootWithOciLabelsAndItsOwnJar() throws IOException {
    for (String file : DOCKERFILES) {
      String dockerfile = Files.readString(ROOT.resolve(file));
      assertThat(dockerfile)
          .as(file)
          .contains(
              "org.opencontainers.image.title=",
              "org.opencontainers.image.source=",
              "org.opencontainers.image.version=\"${VERSION}\"",
              "org.opencontainers.image.revision=\"${REVISION}\"")
          .containsPattern("(?m)^USER 10001:10001$")
          .contains("MaxRAMPercentage=75");
      Matcher entrypoint =
          Pattern.compile("ENTRYPOINT \\[.*\"-jar\", \"([^\"]+)\"\\]").matcher(dockerfile);
      assertThat(entrypoint.find()).as(file).isTrue();
      assertThat(dockerfile)
          .as("%s copies in the jar its entrypoint runs", file)
          .containsPattern("(?m)^COPY .* " + Pattern.quote(entrypoint.group(1)) + "$");
    }
    assertThat(Files.readString(ROOT.resolve("operator/Dockerfile")))
        .as("multi-stage")
        .contains("AS build", "COPY --from=build");
  }

  @Test
  void theChartTheOperatorAndTheReadmeNameTheSameImages() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode values = yaml.readTree(ROOT.resolve("helm/groupwarden/values.yaml").toFile());
    JsonNode chart = yaml.readTree(ROOT.resolve("helm/groupwarden/Chart.yaml").toFile());
    String operatorImage =
        values.path("image").path("repository").asText() + ":" + chart.path("appVersion").asText();

    assertThat(chart.path("appVersion").asText()).isEqualTo(OperatorConfig.DEFAULT_IMAGE_TAG);
    assertThat(values.path("coordinatorImage").asText())
        .isEqualTo(OperatorConfig.DEFAULT_COORDINATOR_IMAGE);
    assertThat(values.path("sinkImage").asText()).isEqualTo(OperatorConfig.DEFAULT_SINK_IMAGE);
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme)
        .contains("docker build -f operator/Dockerfile -t " + operatorImage + " .")
        .contains(
            "docker build -t " + OperatorConfig.DEFAULT_COORDINATOR_IMAGE + " coordinator-image/")
        .contains("docker build -t " + OperatorConfig.DEFAULT_SINK_IMAGE + " sink-image/");
  }
}
