package io.groupwarden.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.groupwarden.operator.OperatorConfig;
import io.groupwarden.operator.support.OperatorHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered offline with a real Helm 3 (helm-java). */
class HelmChartTest {
  private static final Path CHART = OperatorHarness.repositoryRoot().resolve("helm/groupwarden");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
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

  private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

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
    assertThat(env(container, "GROUPWARDEN_LEADER_ELECTION").path("value").asText())
        .isEqualTo("true");
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
    assertThat(env(container, "GROUPWARDEN_HISTORY_TOPIC").path("value").asText())
        .isEqualTo("groupwarden-history");
    assertThat(env(container, "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY").path("value").asText())
        .isEqualTo("2m");
    assertThat(env(container, "GROUPWARDEN_STANDBY_REFRESH").path("value").asText())
        .isEqualTo("10s");

    JsonNode memoryOnly =
        operatorContainer(
            render(
                t ->
                    t.set("history.topic", "none")
                        .set("history.snapshotEvery", "30s")
                        .set("history.standbyRefresh", "5s")));
    assertThat(env(memoryOnly, "GROUPWARDEN_HISTORY_TOPIC").path("value").asText())
        .isEqualTo("none");
    assertThat(env(memoryOnly, "GROUPWARDEN_HISTORY_SNAPSHOT_EVERY").path("value").asText())
        .isEqualTo("30s");
    assertThat(env(memoryOnly, "GROUPWARDEN_STANDBY_REFRESH").path("value").asText())
        .isEqualTo("5s");
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
    JsonNode container =
        ofKind(docs, "Deployment")
            .get(0)
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(env(container, "GROUPWARDEN_WATCH_NAMESPACES").path("value").asText())
        .isEqualTo("team-a,team-b");
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
    JsonNode container =
        ofKind(docs, "Deployment")
            .get(0)
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    container
        .path("env")
        .forEach(e -> assertThat(e.path("name").asText()).isNotEqualTo("GROUPWARDEN_API_TOKEN"));
  }

  @Test
  void anExistingTokenSecretIsUsedInsteadOfANewOne() throws IOException {
    List<JsonNode> docs = render(t -> t.set("apiToken.existingSecret", "my-token"));

    assertThat(ofKind(docs, "Secret")).isEmpty();
    JsonNode container =
        ofKind(docs, "Deployment")
            .get(0)
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(
            env(container, "GROUPWARDEN_API_TOKEN")
                .path("valueFrom")
                .path("secretKeyRef")
                .path("name")
                .asText())
        .isEqualTo("my-token");
  }

  private static JsonNode operatorContainer(List<JsonNode> docs) {
    return ofKind(docs, "Deployment")
        .get(0)
        .path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .get(0);
  }

  private static JsonNode env(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (name.equals(env.path("name").asText())) {
        return env;
      }
    }
    throw new AssertionError("no env " + name);
  }
}
