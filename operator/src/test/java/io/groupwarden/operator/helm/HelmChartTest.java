package io.groupwarden.operator.helm;

import static io.groupwarden.operator.helm.RenderedChart.CHART;
import static io.groupwarden.operator.helm.RenderedChart.env;
import static io.groupwarden.operator.helm.RenderedChart.envValue;
import static io.groupwarden.operator.helm.RenderedChart.ofKind;
import static io.groupwarden.operator.helm.RenderedChart.operatorContainer;
import static io.groupwarden.operator.helm.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.groupwarden.operator.OperatorConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered offline with a real Helm 3 (helm-java). */
class HelmChartTest {
  @Test
  void lintPasses() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rbacHasNoWildcardsAndCoversWhatTheOperatorCalls() throws IOException {
    List<JsonNode> docs = render(t -> t);

    List<JsonNode> roles = new ArrayList<>(ofKind(docs, "ClusterRole"));
    roles.addAll(ofKind(docs, "Role"));
    assertThat(roles).isNotEmpty();
    List<String> grants = new ArrayList<>();
    for (JsonNode role : roles) {
      for (JsonNode rule : role.path("rules")) {
        for (String field : List.of("apiGroups", "resources", "verbs")) {
          rule.path(field).forEach(v -> assertThat(v.asText()).as(field).isNotEqualTo("*"));
        }
        rule.path("resources")
            .forEach(
                r -> rule.path("verbs").forEach(v -> grants.add(r.asText() + ":" + v.asText())));
      }
    }
    assertThat(grants)
        .contains(
            "consumergrouppolicies/status:patch",
            "mongosinks/scale:update",
            "events:create",
            "events:list",
            "secrets:get",
            "secrets:create",
            "secrets:update",
            "secrets:delete",
            "statefulsets:create",
            "deployments/scale:update",
            "leases:create")
        .as("credentials are read by name, never listed or watched")
        .doesNotContain("secrets:list", "secrets:watch");
  }

  @Test
  void theOperatorRunsNonRootWithItsTokenFromASecret() throws IOException {
    List<JsonNode> docs = render(t -> t.set("apiToken.value", "t0ken"));
    JsonNode deployment = ofKind(docs, "Deployment").get(0);
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean())
        .isFalse();
    JsonNode token = env(container, "GROUPWARDEN_API_TOKEN");
    assertThat(token.has("value")).isFalse();
    assertThat(token.path("valueFrom").path("secretKeyRef").path("name").asText())
        .isEqualTo("gw-groupwarden-api-token");
    assertThat(envValue(container, "GROUPWARDEN_LEADER_ELECTION")).isEqualTo("true");
    assertThat(
            env(container, "POD_NAMESPACE")
                .path("valueFrom")
                .path("fieldRef")
                .path("fieldPath")
                .asText())
        .isEqualTo("metadata.namespace");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
  }

  @Test
  void twoReplicasForHighAvailability() throws IOException {
    JsonNode deployment = ofKind(render(t -> t.set("replicaCount", 2)), "Deployment").get(0);
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void theHistorySettingsReachTheOperator() throws IOException {
    JsonNode container = operatorContainer(render(t -> t));
    assertThat(envValue(container, "GROUPWARDEN_HISTORY_TOPIC")).isEqualTo("groupwarden-history");
    assertThat(envValue(container, "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY")).isEqualTo("2m");
    assertThat(envValue(container, "GROUPWARDEN_STANDBY_REFRESH")).isEqualTo("10s");

    JsonNode memoryOnly =
        operatorContainer(
            render(
                t ->
                    t.set("history.topic", "none")
                        .set("history.snapshotEvery", "30s")
                        .set("history.standbyRefresh", "5s")));
    assertThat(envValue(memoryOnly, "GROUPWARDEN_HISTORY_TOPIC")).isEqualTo("none");
    assertThat(envValue(memoryOnly, "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY")).isEqualTo("30s");
    assertThat(envValue(memoryOnly, "GROUPWARDEN_STANDBY_REFRESH")).isEqualTo("5s");
    // the operator accepts what the chart renders
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of(
                        "GROUPWARDEN_HISTORY_TOPIC", "none",
                        "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY", "30s",
                        "GROUPWARDEN_STANDBY_REFRESH", "5s"))
                .historyTopic())
        .isNull();
  }

  @Test
  void watchingNamespacesGrantsRolesOnlyThere() throws IOException {
    List<JsonNode> docs =
        render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));

    assertThat(ofKind(docs, "ClusterRole")).isEmpty();
    assertThat(ofKind(docs, "Role"))
        .extracting(r -> r.path("metadata").path("namespace").asText())
        .containsExactlyInAnyOrder("team-a", "team-b", "ops");
    JsonNode container = operatorContainer(docs);
    assertThat(envValue(container, "GROUPWARDEN_WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
  }

  @Test
  void theServiceMonitorIsRenderedOnlyWhenEnabled() throws IOException {
    assertThat(ofKind(render(t -> t), "ServiceMonitor")).isEmpty();

    List<JsonNode> monitors =
        ofKind(render(t -> t.set("serviceMonitor.enabled", true)), "ServiceMonitor");

    assertThat(monitors).hasSize(1);
    assertThat(monitors.get(0).path("spec").path("endpoints").get(0).path("path").asText())
        .isEqualTo("/metrics");
  }

  @Test
  void withoutATokenTheApiStaysClosedAndNoSecretIsMade() throws IOException {
    List<JsonNode> docs = render(t -> t);

    assertThat(ofKind(docs, "Secret")).isEmpty();
    JsonNode container = operatorContainer(docs);
    container
        .path("env")
        .forEach(e -> assertThat(e.path("name").asText()).isNotEqualTo("GROUPWARDEN_API_TOKEN"));
  }

  @Test
  void anExistingTokenSecretIsUsedInsteadOfANewOne() throws IOException {
    List<JsonNode> docs = render(t -> t.set("apiToken.existingSecret", "my-token"));

    assertThat(ofKind(docs, "Secret")).isEmpty();
    JsonNode container = operatorContainer(docs);
    assertThat(
            env(container, "GROUPWARDEN_API_TOKEN")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("name")
                .asText())
        .isEqualTo("my-token");
  }
}
