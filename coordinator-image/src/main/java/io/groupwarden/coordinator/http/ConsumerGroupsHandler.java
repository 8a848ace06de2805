package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.group.GroupView;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.runtime.TopicPartitions;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code /consumer-groups}, {@code /consumer-groups/{group}} and {@code
 * /consumer-groups/{group}/assignments}: what the coordinator knows of its groups, with the lag of
 * each committed offset. It reads the immutable {@link GroupView} each group's shard thread copies
 * for readers like this one, and answers with records of its own, so the HTTP contract does not
 * change when the coordinator's view does.
 */
record ConsumerGroupsHandler(GroupCoordinator groups, TopicStore topics) {
  record Listing(String groupId, String state, String protocolType) {}

  record Member(String memberId, String groupInstanceId, String clientId, String clientHost) {}

  record PartitionOffset(
      String topic,
      int partition,
      long committedOffset,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long logEndOffset,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long lag) {}

  record Detail(
      String groupId,
      String state,
      int generation,
      String protocolType,
      String protocol,
      String leader,
      List<Member> members,
      List<PartitionOffset> offsets,
      long totalLag) {}

  record TopicAssignment(String topic, List<Integer> partitions) {}

  record MemberAssignment(
      String memberId,
      String clientId,
      List<TopicAssignment> assignment,
      @JsonInclude(JsonInclude.Include.NON_NULL) String assignmentError) {}

  record Assignments(String groupId, int generation, List<MemberAssignment> members) {}

  CompletableFuture<Response> list(Request request) {
    return groups
        .list(Set.of(), Set.of())
        .thenApply(
            listed ->
                Response.json(
                    listed.stream()
                        .map(g -> new Listing(g.groupId(), g.groupState(), g.protocolType()))
                        .sorted(Comparator.comparing(Listing::groupId))
                        .toList()));
  }

  CompletableFuture<Response> detail(Request request) {
    String groupId = request.pathParam("group");
    return groups
        .view(groupId)
        .thenApply(found -> Response.json(detail(found.orElseThrow(() -> noSuchGroup(groupId)))));
  }

  CompletableFuture<Response> assignments(Request request) {
    String groupId = request.pathParam("group");
    return groups
        .view(groupId)
        .thenApply(
            found -> {
              GroupView group = found.orElseThrow(() -> noSuchGroup(groupId));
              List<MemberAssignment> members =
                  group.members().stream().map(ConsumerGroupsHandler::assignment).toList();
              return Response.json(new Assignments(groupId, group.epoch(), members));
            });
  }

  private static HttpError noSuchGroup(String groupId) {
    return HttpError.notFound("group '" + groupId + "' does not exist");
  }

  private Detail detail(GroupView group) {
    List<Member> members =
        group.members().stream()
            .map(m -> new Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost()))
            .toList();
    List<PartitionOffset> offsets = new ArrayList<>();
    long totalLag = 0;
    List<Map.Entry<TopicPartition, OffsetAndMetadata>> entries =
        new ArrayList<>(group.offsets().entrySet());
    entries.sort(
        Comparator.comparing((Map.Entry<TopicPartition, OffsetAndMetadata> e) -> e.getKey().topic())
            .thenComparing(e -> e.getKey().partition()));
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : entries) {
      TopicPartition tp = e.getKey();
      long committed = e.getValue().offset();
      Topic topic = topics.get(tp.topic());
      PartitionLog log = topic == null ? null : topic.partition(tp.partition());
      if (log == null) {
        offsets.add(new PartitionOffset(tp.topic(), tp.partition(), committed, null, null));
        continue;
      }
      long end = log.highWatermark();
      long lag = Math.max(0, end - committed);
      totalLag += lag;
      offsets.add(new PartitionOffset(tp.topic(), tp.partition(), committed, end, lag));
    }
    return new Detail(
        group.groupId(),
        group.state(),
        group.epoch(),
        group.protocolType(),
        group.protocol(),
        group.leader(),
        members,
        offsets,
        totalLag);
  }

  /** A member's partitions by topic, as the group coordinator reads them. */
  private static MemberAssignment assignment(GroupView.Member member) {
    if (member.assignment() == null) {
      return new MemberAssignment(
          member.memberId(), member.clientId(), List.of(), "unreadable assignment");
    }
    List<TopicAssignment> topics = new ArrayList<>();
    TopicPartitions.byTopic(member.assignment())
        .forEach((topic, partitions) -> topics.add(new TopicAssignment(topic, partitions)));
    return new MemberAssignment(member.memberId(), member.clientId(), topics, null);
  }
}
