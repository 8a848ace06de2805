package io.groupwarden.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.support.OperatorHarness;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/gitops.md carries the chart's health script exactly, registered for every kind, so the two
 * never drift apart.
 */
class GitOpsGuideTest {
  @Test
  void theGuideRegistersTheChartsHealthScriptForEachKind() throws Exception {
    String guide = Files.readString(OperatorHarness.repositoryRoot().resolve("docs/gitops.md"));
    int start = guide.indexOf("```yaml\napiVersion: v1\nkind: ConfigMap");
    assertThat(start).as("the argocd-cm example in the guide").isNotNegative();
    int from = guide.indexOf('\n', start) + 1;
    // SnakeYAML resolves the example's anchor and aliases as Kubernetes and Argo CD's chart do.
    Map<String, Map<String, Object>> configMap =
        new Yaml().load(guide.substring(from, guide.indexOf("```", from)));
    String script = Files.readString(ArgoHealth.SCRIPT);
    for (String kind : new String[] {"ConsumerGroupPolicy", "MongoSink", "LagMonitor"}) {
      Object registered =
          configMap.get("data").get("resource.customizations.health.groupwarden.io_" + kind);
      assertThat(registered).as(kind).isEqualTo(script);
    }
  }
}
