package io.groupwarden.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.support.OperatorHarness;
import java.nio.file.Files;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/gitops.md carries the chart's health scripts exactly, so the two never drift apart. */
class GitOpsGuideTest {

  @Test
  void theGuideShowsEachHealthScriptOfTheChart() throws Exception {
    String guide = Files.readString(OperatorHarness.repositoryRoot().resolve("docs/gitops.md"));
    for (String kind : new String[] {"ConsumerGroupPolicy", "MongoSink", "LagMonitor"}) {
      String script = Files.readString(ArgoHealth.SCRIPTS.resolve(kind.toLowerCase() + ".lua"));
      String indented =
          script
              .lines()
              .map(line -> line.isBlank() ? line : "    " + line)
              .collect(Collectors.joining("\n"));
      assertThat(guide)
          .contains("resource.customizations.health.groupwarden.io_" + kind + ": |\n" + indented);
    }
  }
}
