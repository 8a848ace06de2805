package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import java.util.List;

/**
 * A member of a consumer group at its newest sample.
 *
 * @param memberId the broker-assigned member id
 * @param instanceId the static member id ({@code group.instance.id}), or null
 * @param clientId the client id
 * @param host the client's host
 * @param partitions how many partitions it is assigned
 * @param assignment the partitions it is assigned
 */
public record MemberView(
    String memberId,
    String instanceId,
    String clientId,
    String host,
    int partitions,
    List<PartitionRefView> assignment) {
  public static MemberView of(MemberSample m) {
    return new MemberView(
        m.memberId(),
        m.instanceId(),
        m.clientId(),
        m.host(),
        m.assignment().size(),
        m.assignment().stream().sorted().map(PartitionRefView::of).toList());
  }
}
