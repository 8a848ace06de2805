package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.TopicMetadata;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;

/** A consumer group as ConsumerGroupDescribe answers it: epochs, members, assignments by name. */
final class ConsumerGroupDescriber {
  // ConsumerGroupDescribe v1's MemberType: which protocol the member speaks.
  private static final byte CLASSIC_MEMBER = 0;
  private static final byte CONSUMER_MEMBER = 1;

  private ConsumerGroupDescriber() {}

  /**
   * ConsumerGroupDescribe of one group: GROUP_ID_NOT_FOUND when it is not a consumer group ({@code
   * group} null; {@code other} is what the id names, if anything).
   */
  static ConsumerGroupDescribeResponseData.DescribedGroup describe(
      String groupId,
      ConsumerGroup group,
      Group other,
      TopicMetadata topics,
      java.util.function.Function<ConsumerGroup, String> assignorName) {
    ConsumerGroupDescribeResponseData.DescribedGroup described =
        new ConsumerGroupDescribeResponseData.DescribedGroup()
            .setGroupId(groupId)
            .setAuthorizedOperations(Integer.MIN_VALUE);
    if (group == null) {
      return described
          .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
          .setErrorMessage(
              other == null || other.isDead()
                  ? "Group " + groupId + " not found."
                  : "Group " + groupId + " is not a consumer group.");
    }
    described
        .setGroupState(group.stateName())
        .setGroupEpoch(group.groupEpoch())
        .setAssignmentEpoch(group.targetAssignmentEpoch())
        .setAssignorName(assignorName.apply(group));
    for (ConsumerGroupMember member : group.members()) {
      described
          .members()
          .add(
              new ConsumerGroupDescribeResponseData.Member()
                  .setMemberId(member.memberId())
                  .setInstanceId(member.instanceId())
                  .setRackId(member.metadata().rackId())
                  .setMemberEpoch(member.reconciliation().memberEpoch())
                  .setClientId(member.metadata().clientId())
                  .setClientHost(member.metadata().clientHost())
                  .setSubscribedTopicNames(member.metadata().subscribedTopicNames())
                  .setSubscribedTopicRegex(member.metadata().subscribedTopicRegex())
                  .setAssignment(describe(member.reconciliation().assigned(), topics))
                  .setTargetAssignment(describe(group.targetAssignment(member.memberId()), topics))
                  .setMemberType(member.usesClassicProtocol() ? CLASSIC_MEMBER : CONSUMER_MEMBER));
    }
    return described;
  }

  private static ConsumerGroupDescribeResponseData.Assignment describe(
      Assignment assignment, TopicMetadata topics) {
    List<ConsumerGroupDescribeResponseData.TopicPartitions> list = new ArrayList<>();
    assignment
        .partitions()
        .forEach(
            (topicId, partitions) -> {
              TopicMetadata.Topic topic = topics.byId(topicId);
              if (topic != null) {
                list.add(
                    new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(topicId)
                        .setTopicName(topic.name())
                        .setPartitions(new ArrayList<>(partitions)));
              }
            });
    return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(list);
  }
}
