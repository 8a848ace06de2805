package io.groupwarden.operator.api;

import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.TopicConsumerView;
import io.groupwarden.operator.api.view.TopicConsumersView;
import io.groupwarden.operator.api.view.TopicDetailView;
import io.groupwarden.operator.api.view.TopicPartitionView;
import io.groupwarden.operator.api.view.TopicSummaryView;
import io.groupwarden.operator.api.view.TopicsView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /api/v1/consumers/topics}: the topics governed groups consume, and for one topic its
 * consumers, partitions, coverage and aggregated health.
 */
record TopicsHandler(PolicyClusters clusters) {
  Response list(Request request) {
    List<PolicyView> policies = clusters.policies(request.query("cluster", null));
    Set<String> topics = new TreeSet<>();
    for (PolicyView policy : policies) {
      policy.groups().forEach(g -> topics.addAll(g.topics()));
    }
    List<TopicSummaryView> views = new ArrayList<>();
    for (String topic : topics) {
      Aggregate a = aggregate(policies, topic);
      views.add(
          new TopicSummaryView(
              topic, a.partitionCount(), a.consumers(), a.coverage(), a.lag(), a.health()));
    }
    return Response.json(new TopicsView(views));
  }

  Response consumers(Request request) {
    String topic = request.pathParam("topic");
    return Response.json(
        new TopicConsumersView(
            topic,
            aggregate(clusters.policies(request.query("cluster", null)), topic).consumers()));
  }

  Response detail(Request request) {
    String topic = request.pathParam("topic");
    List<PolicyView> policies = clusters.policies(request.query("cluster", null));
    List<TopicPartitionView> partitions = new ArrayList<>();
    for (PolicyView policy : policies) {
      for (GroupEvaluation g : policy.groups()) {
        for (PartitionLag p : g.partitions()) {
          if (p.ref().topic().equals(topic)) {
            partitions.add(
                new TopicPartitionView(
                    policy.cluster(),
                    g.groupId(),
                    p.ref().partition(),
                    p.lag(),
                    p.lagSeconds(),
                    p.committedOffset(),
                    p.owner()));
          }
        }
      }
    }
    Aggregate a = aggregate(policies, topic);
    return Response.json(
        new TopicDetailView(
            topic,
            partitions,
            partitions.isEmpty() ? "no governed group consumes this topic" : null,
            a.partitionCount(),
            a.consumers(),
            a.coverage(),
            a.health()));
  }

  /** What the governed groups show of one topic. */
  private record Aggregate(
      List<TopicConsumerView> consumers,
      int partitionCount,
      double coverage,
      long lag,
      String health) {}

  private static Aggregate aggregate(List<PolicyView> policies, String topic) {
    List<TopicConsumerView> consumers = new ArrayList<>();
    Set<Integer> partitions = new HashSet<>();
    Set<Integer> owned = new HashSet<>();
    GroupHealth worst = null;
    long total = 0;
    for (PolicyView policy : policies) {
      for (GroupEvaluation g : policy.groups()) {
        if (!g.topics().contains(topic)) {
          continue;
        }
        long lag = 0;
        int count = 0;
        int assigned = 0;
        for (PartitionLag p : g.partitions()) {
          if (p.ref().topic().equals(topic)) {
            lag += p.lag();
            count++;
            partitions.add(p.ref().partition());
            if (p.owner() != null) {
              assigned++;
              owned.add(p.ref().partition());
            }
          }
        }
        GroupHealth health = GroupHealth.of(g);
        worst = worst == null || health.ordinal() > worst.ordinal() ? health : worst;
        total += lag;
        consumers.add(
            new TopicConsumerView(
                policy.cluster(),
                g.groupId(),
                g.state(),
                g.members(),
                lag,
                health.name(),
                count == 0 ? 1.0 : (double) assigned / count));
      }
    }
    double coverage = partitions.isEmpty() ? 1.0 : (double) owned.size() / partitions.size();
    return new Aggregate(
        consumers, partitions.size(), coverage, total, worst == null ? null : worst.name());
  }
}
