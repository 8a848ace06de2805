package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import io.groupwarden.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric name the chart's alert rules and Grafana dashboard use is one that a running
 * operator and a running sink worker (the sink jar as a child process) export: the names are
 * collected from their /metrics after they have worked on real Kafka, Redis and Mongo-wire sources,
 * not from a list kept by hand.
 */
class MonitoringMetricNamesIT {
  private static final Path ROOT = OperatorHarness.repositoryRoot();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "inf",
          "nan");

  /** Prometheus's own series for a scrape target. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");

  @TempDir Path dir;

  @Test
  void theRulesAndTheDashboardUseOnlyExportedMetricNames() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    int sinkMetricsPort = FreePort.pick();
    Process sink = null;
    try (RedisServer redisServer = RedisServer.create().start();
        OperatorHarness harness = OperatorHarness.start();
        KafkaTestClients kafka = new KafkaTestClients(broker.bootstrapServers())) {
      kafka.createTopic("metrics-orders", 2);
      for (int i = 0; i < 20; i++) {
        kafka.produceTo("metrics-orders", i % 2, i == 7 ? "not json" : "{\"n\":" + i + "}");
      }
      kafka.commit("metrics-app", "metrics-orders", 1);
      RedisClient redis = RedisClient.create(redisServer.uri());
      try (StatefulRedisConnection<String, String> connection = redis.connect()) {
        connection.sync().xadd("metrics-events", Map.of("e", "1"));
        connection
            .sync()
            .xgroupCreate(XReadArgs.StreamOffset.from("metrics-events", "0-0"), "readers");
      } finally {
        redis.shutdown();
      }
      TestResources.applySpec(
          harness.client(),
          ConsumerGroupPolicy.class,
          "monitoring",
          "metrics",
          TestResources.policySpec(broker.bootstrapServers(), "groups: [metrics-app]"));
      TestResources.applySpec(
          harness.client(),
          LagMonitor.class,
          "monitoring",
          "metrics",
          """
          kafka: {bootstrapServers: "%s", groups: [metrics-app]}
          redis: {uri: "%s", streams: [metrics-events], groups: [readers]}
          interval: 1s
          """
              .formatted(broker.bootstrapServers(), redisServer.uri()));
      sink =
          ChildProcesses.start(
              ChildProcesses.javaJarCommand(
                  List.of("-Xmx256m"), ROOT.resolve("sink-image/target/sink.jar"), List.of()),
              dir.resolve("sink.log"),
              Map.of(
                  "SINK_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                  "SINK_TOPIC", "metrics-orders",
                  "SINK_GROUP_ID", "metrics-sink",
                  "SINK_INSTANCE_ID", "metrics-sink-0",
                  "SINK_MONGODB_URI", mongoUri,
                  "SINK_MONGODB_DATABASE", "shop",
                  "SINK_MONGODB_COLLECTION", "orders",
                  "SINK_METRICS_PORT", String.valueOf(sinkMetricsPort)));

      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(scrape(harness.operator().httpPort()))
                      .contains(
                          "groupwarden_group_lag{",
                          "event_consumer_lag{",
                          "groupwarden_lagmonitor_unhealthy_sources{",
                          "groupwarden_resource_ready{",
                          "operator_sdk_reconciliations_started_total"));
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(scrape(sinkMetricsPort))
                      .contains("outcome=\"dead_lettered\"", "consumer_lag{"));
      String operatorMetrics = scrape(harness.operator().httpPort());
      String sinkMetrics = scrape(sinkMetricsPort);
      Set<String> exported = new TreeSet<>(FROM_PROMETHEUS);
      exported.addAll(names(operatorMetrics));
      exported.addAll(names(sinkMetrics));

      Set<String> used = new TreeSet<>();
      for (String expression : ruleExpressions()) {
        used.addAll(metricNames(expression));
      }
      for (String query : dashboardQueries()) {
        used.addAll(metricNames(query));
      }

      assertThat(used)
          .contains("groupwarden_group_slo_compliance", "consumer_messages_processed_total");
      assertThat(exported).as("exported by the operator and the sink").containsAll(used);
    } finally {
      if (sink != null) {
        sink.destroy();
        sink.waitFor();
      }
      mongo.shutdownNow();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The series names of a Prometheus text exposition. */
  private static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.lines().toList()) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
      }
    }
    return names;
  }

  private List<String> ruleExpressions() throws Exception {
    String text =
        new Helm(ROOT.resolve("helm/groupwarden"))
            .template()
            .withName("gw")
            .withNamespace("ops")
            .set("prometheusRule.enabled", true)
            .call();
    List<String> expressions = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && "PrometheusRule".equals(doc.path("kind").asText())) {
          for (JsonNode group : doc.path("spec").path("groups")) {
            group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText()));
          }
        }
      }
    }
    assertThat(expressions).isNotEmpty();
    return expressions;
  }

  private static List<String> dashboardQueries() throws Exception {
    JsonNode dashboard =
        JSON.readTree(ROOT.resolve("helm/groupwarden/dashboards/groupwarden.json").toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String query = variable.path("query").path("query").asText("");
      if (query.startsWith("label_values(")) {
        // label_values(selector, label): the selector is PromQL, the label is not a metric
        queries.add(query.substring("label_values(".length(), query.lastIndexOf(',')));
      }
    }
    return queries;
  }

  /**
   * The metric names of a PromQL expression (whose syntax promtool has checked, in the operator's
   * ChartMonitoringTest): what is left of its identifiers once strings, label matchers, ranges,
   * grouping clauses, functions and keywords are taken out.
   */
  static Set<String> metricNames(String expression) {
    String text =
        expression
            .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^\\]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\$\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher identifier =
        Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()").matcher(text);
    while (identifier.find()) {
      String word = identifier.group();
      if (!PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }
}
