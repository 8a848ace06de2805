package io.groupwarden.operator.api;

import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.view.TopicConsumerView;
import io.groupwarden.operator.api.view.TopicConsumersView;
import io.groupwarden.operator.api.view.TopicDetailView;
import io.groupwarden.operator.api.view.TopicPartitionView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/consumers/topics/{topic}}: the governed groups that consume a topic. */
final class TopicsHandler {
  private final PolicyClusters clusters;

  TopicsHandler(PolicyClusters clusters) {
    this.clusters = clusters;
  }

  Response consumers(Request request) {
    String topic = request.pathParam("topic");
    List<TopicConsumerView> consumers = new ArrayList<>();
    for (PolicyView policy : clusters.policies(request.query("cluster", null))) {
      for (GroupEvaluation g : policy.groups()) {
        if (g.topics().contains(topic)) {
          long lag =
              g.partitions().stream()
                  .filter(p -> p.ref().topic().equals(topic))
                  .mapToLong(PartitionLag::lag)
                  .sum();
          consumers.add(
              new TopicConsumerView(
                  policy.cluster(),
                  g.groupId(),
                  g.state(),
                  g.members(),
                  lag,
                  GroupHealth.of(g).name()));
        }
      }
    }
    return Response.json(new TopicConsumersView(topic, consumers));
  }

  Response detail(Request request) {
    String topic = request.pathParam("topic");
    List<TopicPartitionView> partitions = new ArrayList<>();
    for (PolicyView policy : clusters.policies(request.query("cluster", null))) {
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
    return Response.json(
        new TopicDetailView(
            topic,
            partitions,
            partitions.isEmpty() ? "no governed group consumes this topic" : null));
  }
}
