package io.groupwarden.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnedGaugesTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OwnedGauges gauges = new OwnedGauges(registry);

  private static GaugeSample lag(String partition, double value) {
    return new GaugeSample(
        "groupwarden_group_lag",
        "Consumer group lag in messages",
        Map.of(
            "namespace", "ns", "policy", "p", "group", "g", "topic", "t", "partition", partition),
        value);
  }

  @Test
  void publishedSeriesAppearInTheScrapeWithTheirLabelsAndValues() {
    gauges.publish("policy/ns/p", List.of(lag("0", 42), lag("1", 7)));

    assertThat(registry.scrape())
        .contains(
            "groupwarden_group_lag{group=\"g\",namespace=\"ns\",partition=\"0\",policy=\"p\",topic=\"t\"} 42.0")
        .contains(
            "groupwarden_group_lag{group=\"g\",namespace=\"ns\",partition=\"1\",policy=\"p\",topic=\"t\"} 7.0");
  }

  @Test
  void aSeriesMissingFromTheNextPublicationIsRemovedAndValuesAreUpdated() {
    gauges.publish("policy/ns/p", List.of(lag("0", 42), lag("1", 7)));

    gauges.publish("policy/ns/p", List.of(lag("0", 3)));

    String scrape = registry.scrape();
    assertThat(scrape).contains("partition=\"0\",policy=\"p\",topic=\"t\"} 3.0");
    assertThat(scrape).doesNotContain("partition=\"1\"");
    assertThat(gauges.seriesOf("policy/ns/p")).isEqualTo(1);
  }

  @Test
  void removingTheOwnerRemovesAllItsSeriesButNotOthers() {
    gauges.publish("policy/ns/p", List.of(lag("0", 1)));
    gauges.publish(
        "policy/ns/q",
        List.of(
            new GaugeSample(
                "groupwarden_group_lag",
                "Consumer group lag in messages",
                Map.of(
                    "namespace", "ns", "policy", "q", "group", "g", "topic", "t", "partition", "0"),
                5)));

    gauges.remove("policy/ns/p");

    assertThat(registry.scrape()).doesNotContain("policy=\"p\"").contains("policy=\"q\"");
    assertThat(gauges.seriesOf("policy/ns/p")).isZero();
  }

  @Test
  void aCounterIsExposedAsAPrometheusCounterWithItsTotal() {
    Map<String, String> labels =
        Map.of("namespace", "ns", "policy", "p", "group", "g", "topic", "t", "partition", "0");
    gauges.publish(
        "policy/ns/p",
        List.of(
            GaugeSample.counter(
                "groupwarden_group_records_lost_to_retention_total",
                "Records lost",
                labels,
                1200)));

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("# TYPE groupwarden_group_records_lost_to_retention_total counter")
        .contains(
            "groupwarden_group_records_lost_to_retention_total{group=\"g\",namespace=\"ns\","
                + "partition=\"0\",policy=\"p\",topic=\"t\"} 1200.0");

    gauges.remove("policy/ns/p");
    assertThat(registry.scrape()).doesNotContain("records_lost_to_retention_total{");
  }

  @Test
  void anInfiniteGaugeIsExposedAsInf() {
    gauges.publish(
        "policy/ns/p",
        List.of(
            new GaugeSample(
                "groupwarden_group_catch_up_seconds",
                "Seconds until caught up",
                Map.of("group", "g"),
                Double.POSITIVE_INFINITY)));

    assertThat(registry.scrape()).contains("groupwarden_group_catch_up_seconds{group=\"g\"} +Inf");
  }
}
