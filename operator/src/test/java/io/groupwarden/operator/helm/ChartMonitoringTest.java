package io.groupwarden.operator.helm;

import static io.groupwarden.operator.helm.RenderedChart.CHART;
import static io.groupwarden.operator.helm.RenderedChart.YAML;
import static io.groupwarden.operator.helm.RenderedChart.only;
import static io.groupwarden.operator.helm.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's optional monitoring: the PrometheusRule's expressions and the dashboard's queries are
 * parsed by Prometheus's own parser ({@code promtool check rules}, Debian's prometheus package),
 * the dashboard is valid JSON shipped unchanged in a ConfigMap for Grafana's sidecar, and {@code
 * values.schema.json} rejects bad values. (Whether every metric name they use is one the operator
 * and the sink export is checked against running ones in e2e's MonitoringMetricNamesIT.)
 */
class ChartMonitoringTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static UnaryOperator<TemplateCommand> allMonitoring() {
    return t ->
        t.set("prometheusRule.enabled", true)
            .set("grafanaDashboard.enabled", true)
            .set("sinkPodMonitor.enabled", true)
            .set("serviceMonitor.enabled", true);
  }

  @Test
  void nothingOfItIsRenderedByDefault() throws IOException {
    List<JsonNode> docs = render(t -> t);
    assertThat(docs)
        .extracting(d -> d.path("kind").asText())
        .doesNotContain("PrometheusRule", "PodMonitor", "ServiceMonitor", "ConfigMap");
  }

  @Test
  void everyAlertExpressionParsesWithPrometheusItself() throws Exception {
    JsonNode rule = only(render(allMonitoring()), "PrometheusRule");
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      for (JsonNode alert : group.path("rules")) {
        alerts.add(alert.path("alert").asText());
        assertThat(alert.path("labels").path("severity").asText()).isIn("warning", "critical");
        assertThat(alert.path("annotations").path("description").asText()).isNotBlank();
      }
    }
    assertThat(alerts)
        .contains(
            "GroupwardenSLOViolated",
            "GroupwardenStuckPartition",
            "GroupwardenGroupMissing",
            "GroupwardenLagMonitorUnhealthy",
            "GroupwardenOperatorDown",
            "GroupwardenNotReconciling");

    Path rules = dir.resolve("rules.yaml");
    YAML.writeValue(rules.toFile(), rule.path("spec"));
    promtoolCheckRules(rules);
  }

  @Test
  void aBrokenExpressionFailsTheCheck() throws Exception {
    Path rules = dir.resolve("broken.yaml");
    Files.writeString(
        rules,
        "groups: [{name: g, rules: [{alert: A, expr: 'sum by (group (groupwarden_group_lag)'}]}]\n");
    assertThatThrownBy(() -> promtoolCheckRules(rules)).hasMessageContaining("parse error");
  }

  @Test
  void theDashboardIsValidJsonShippedForGrafanasSidecarAndItsQueriesParse() throws Exception {
    JsonNode configMap = only(render(allMonitoring()), "ConfigMap");
    assertThat(configMap.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    String shipped = configMap.path("data").path("groupwarden.json").asText();
    JsonNode dashboard = JSON.readTree(shipped);
    assertThat(dashboard)
        .isEqualTo(JSON.readTree(CHART.resolve("dashboards/groupwarden.json").toFile()));
    assertThat(dashboard.path("uid").asText()).isEqualTo("groupwarden-consumer-groups");

    List<String> queries = dashboardQueries(dashboard);
    assertThat(queries).hasSizeGreaterThanOrEqualTo(12);
    ObjectNode file = JSON.createObjectNode();
    ArrayNode recordings =
        file.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    for (int i = 0; i < queries.size(); i++) {
      recordings
          .addObject()
          .put("record", "dashboard:query" + i)
          .put("expr", asPromql(queries.get(i)));
    }
    Path rules = dir.resolve("dashboard-queries.yaml");
    YAML.writeValue(rules.toFile(), file);
    promtoolCheckRules(rules);
  }

  @Test
  void theValuesSchemaRejectsBadValues() {
    assertThatThrownBy(() -> render(t -> t.set("logFormat", "xml")))
        .hasMessageContaining("logFormat");
    assertThatThrownBy(() -> render(t -> t.set("kafkaTimeout", "ten seconds")))
        .hasMessageContaining("kafkaTimeout");
    assertThatThrownBy(() -> render(t -> t.set("prometheusRule.sloCompliance", 2)))
        .hasMessageContaining("sloCompliance");
    assertThatThrownBy(() -> render(t -> t.set("replicas", 2)))
        .as("a misspelt key")
        .hasMessageContaining("replicas");
    assertThatThrownBy(() -> render(t -> t.set("watchNamespaces[0]", "Team_A")))
        .hasMessageContaining("watchNamespaces");
  }

  /** Every PromQL expression of the dashboard's panels and variables. */
  static List<String> dashboardQueries(JsonNode dashboard) {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String query = variable.path("query").path("query").asText("");
      if (query.startsWith("label_values(")) {
        // label_values(selector, label) is Grafana's; the selector inside is PromQL
        queries.add(query.substring("label_values(".length(), query.lastIndexOf(',')));
      }
    }
    return queries;
  }

  /** Grafana's variables replaced by values Prometheus would receive. */
  static String asPromql(String query) {
    return query
        .replace("$__rate_interval", "5m")
        .replace("$namespace", ".*")
        .replace("$group", ".*");
  }

  private static void promtoolCheckRules(Path rules) throws Exception {
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "rules", rules.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is needed (Debian: apt-get install prometheus; .ci/run installs it)", e);
    }
    String output = new String(promtool.getInputStream().readAllBytes());
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (promtool.exitValue() != 0) {
      throw new AssertionError("promtool check rules failed:\n" + output);
    }
  }
}
