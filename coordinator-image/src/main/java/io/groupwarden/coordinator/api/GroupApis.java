package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.net.ClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

/** The Kafka group APIs, translated to calls on the {@link GroupCoordinator}. */
public record GroupApis(BrokerIdentity broker, GroupCoordinator coordinator) {
  private static final byte GROUP_KEY = 0;
  private static final byte TRANSACTION_KEY = 1;

  private static Client client(ClientRequest request) {
    return new Client(request.clientId(), request.clientHost(), request.version());
  }

  public FindCoordinatorResponse findCoordinator(ClientRequest request) {
    FindCoordinatorRequestData data = request.body(FindCoordinatorRequest.class).data();
    FindCoordinatorResponseData response = new FindCoordinatorResponseData();
    if (request.version() < 4) {
      Coordinator found = coordinatorFor(data.key(), data.keyType());
      return new FindCoordinatorResponse(
          response
              .setErrorCode(found.errorCode())
              .setErrorMessage(found.errorMessage())
              .setNodeId(found.nodeId())
              .setHost(found.host())
              .setPort(found.port()));
    }
    for (String key : data.coordinatorKeys()) {
      response.coordinators().add(coordinatorFor(key, data.keyType()));
    }
    return new FindCoordinatorResponse(response);
  }

  /** This broker coordinates every group and every transactional id; share groups it has not. */
  private Coordinator coordinatorFor(String key, byte keyType) {
    Coordinator coordinator = new Coordinator().setKey(key);
    if (keyType != GROUP_KEY && keyType != TRANSACTION_KEY) {
      // Not retriable, so a client fails at once with this message instead of waiting for a
      // coordinator that will never exist.
      return coordinator
          .setErrorCode(Errors.INVALID_REQUEST.code())
          .setErrorMessage("this broker coordinates consumer groups and transactions only")
          .setNodeId(-1)
          .setHost("")
          .setPort(-1);
    }
    return coordinator.setNodeId(broker.nodeId()).setHost(broker.host()).setPort(broker.port());
  }

  public CompletableFuture<AbstractResponse> joinGroup(ClientRequest request) {
    JoinGroupRequest body = request.body(JoinGroupRequest.class);
    return coordinator
        .join(client(request), body.data())
        .thenApply(data -> new JoinGroupResponse(data, request.version()));
  }

  public CompletableFuture<AbstractResponse> syncGroup(ClientRequest request) {
    SyncGroupRequest body = request.body(SyncGroupRequest.class);
    return coordinator.sync(client(request), body.data()).thenApply(SyncGroupResponse::new);
  }

  public CompletableFuture<AbstractResponse> heartbeat(ClientRequest request) {
    HeartbeatRequest body = request.body(HeartbeatRequest.class);
    return coordinator.heartbeat(body.data()).thenApply(HeartbeatResponse::new);
  }

  public CompletableFuture<AbstractResponse> leaveGroup(ClientRequest request) {
    LeaveGroupRequest body = request.body(LeaveGroupRequest.class);
    return coordinator
        .leave(body.data().groupId(), body.members())
        .thenApply(
            (LeaveGroupResponseData data) ->
                data.errorCode() != Errors.NONE.code()
                    ? new LeaveGroupResponse(data, request.version())
                    : new LeaveGroupResponse(data.members(), Errors.NONE, 0, request.version()));
  }

  public CompletableFuture<AbstractResponse> offsetCommit(ClientRequest request) {
    OffsetCommitRequest body = request.body(OffsetCommitRequest.class);
    return coordinator
        .commitOffsets(client(request), body.data())
        .thenApply(OffsetCommitResponse::new);
  }

  public CompletableFuture<AbstractResponse> offsetFetch(ClientRequest request) {
    OffsetFetchRequestData data = request.body(OffsetFetchRequest.class).data();
    short version = request.version();
    if (version >= 8) {
      List<CompletableFuture<OffsetFetchResponseGroup>> futures = new ArrayList<>();
      for (OffsetFetchRequestGroup group : data.groups()) {
        futures.add(
            coordinator.fetchOffsets(
                group.groupId(),
                group.memberId(),
                group.memberEpoch(),
                group.topics(),
                data.requireStable()));
      }
      return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .thenApply(
              v ->
                  new OffsetFetchResponse(
                      new OffsetFetchResponseData()
                          .setGroups(futures.stream().map(CompletableFuture::join).toList()),
                      version));
    }
    List<OffsetFetchRequestTopics> topics = null;
    if (data.topics() != null) {
      topics = new ArrayList<>();
      for (OffsetFetchRequestTopic topic : data.topics()) {
        topics.add(
            new OffsetFetchRequestTopics()
                .setName(topic.name())
                .setPartitionIndexes(topic.partitionIndexes()));
      }
    }
    return coordinator
        .fetchOffsets(data.groupId(), null, -1, topics, version >= 7 && data.requireStable())
        .thenApply(group -> new OffsetFetchResponse(singleGroupResponse(group), version));
  }

  /** The pre-batching (v1-7) shape of an OffsetFetch response. */
  private static OffsetFetchResponseData singleGroupResponse(OffsetFetchResponseGroup group) {
    OffsetFetchResponseData data = new OffsetFetchResponseData().setErrorCode(group.errorCode());
    for (OffsetFetchResponseTopics topic : group.topics()) {
      OffsetFetchResponseTopic converted = new OffsetFetchResponseTopic().setName(topic.name());
      for (OffsetFetchResponsePartitions p : topic.partitions()) {
        converted
            .partitions()
            .add(
                new OffsetFetchResponsePartition()
                    .setPartitionIndex(p.partitionIndex())
                    .setCommittedOffset(p.committedOffset())
                    .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                    .setMetadata(p.metadata())
                    .setErrorCode(p.errorCode()));
      }
      data.topics().add(converted);
    }
    return data;
  }

  public CompletableFuture<AbstractResponse> consumerGroupHeartbeat(ClientRequest request) {
    ConsumerGroupHeartbeatRequest body = request.body(ConsumerGroupHeartbeatRequest.class);
    return coordinator
        .consumerGroupHeartbeat(client(request), body.data())
        .thenApply(ConsumerGroupHeartbeatResponse::new);
  }

  public CompletableFuture<AbstractResponse> consumerGroupDescribe(ClientRequest request) {
    ConsumerGroupDescribeRequest body = request.body(ConsumerGroupDescribeRequest.class);
    return coordinator
        .consumerGroupDescribe(body.data().groupIds())
        .thenApply(
            groups ->
                new ConsumerGroupDescribeResponse(
                    new ConsumerGroupDescribeResponseData().setGroups(new ArrayList<>(groups))));
  }

  public CompletableFuture<AbstractResponse> offsetDelete(ClientRequest request) {
    OffsetDeleteRequest body = request.body(OffsetDeleteRequest.class);
    return coordinator.deleteOffsets(body.data()).thenApply(OffsetDeleteResponse::new);
  }

  public CompletableFuture<AbstractResponse> describeGroups(ClientRequest request) {
    DescribeGroupsRequest body = request.body(DescribeGroupsRequest.class);
    return coordinator
        .describe(body.data().groups(), request.version())
        .thenApply(
            groups ->
                new DescribeGroupsResponse(new DescribeGroupsResponseData().setGroups(groups)));
  }

  public CompletableFuture<AbstractResponse> listGroups(ClientRequest request) {
    ListGroupsRequestData data = request.body(ListGroupsRequest.class).data();
    return coordinator
        .list(lowerCase(data.statesFilter()), lowerCase(data.typesFilter()))
        .thenApply(
            groups ->
                new ListGroupsResponse(
                    new ListGroupsResponseData().setGroups(new ArrayList<>(groups))));
  }

  public CompletableFuture<AbstractResponse> deleteGroups(ClientRequest request) {
    DeleteGroupsRequest body = request.body(DeleteGroupsRequest.class);
    return coordinator
        .delete(body.data().groupsNames())
        .thenApply(
            results -> {
              DeletableGroupResultCollection collection = new DeletableGroupResultCollection();
              results.forEach(r -> collection.add(r.duplicate()));
              return new DeleteGroupsResponse(
                  new DeleteGroupsResponseData().setResults(collection));
            });
  }

  private static Set<String> lowerCase(List<String> values) {
    Set<String> result = new HashSet<>();
    if (values != null) {
      values.forEach(v -> result.add(v.toLowerCase(Locale.ROOT)));
    }
    return result;
  }
}
