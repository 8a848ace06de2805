package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.net.ClientRequest;
import io.groupwarden.coordinator.net.RequestHandler;
import io.groupwarden.coordinator.net.SupportedApis;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * Routes each request to the API that answers it.
 *
 * @param admin runs topic creation, growth and deletion and DeleteRecords, whose file work and
 *     fsyncs must not hold up the network thread (and so every other connection on it)
 */
public record KafkaApis(
    SupportedApis supported,
    TopicApis topics,
    ProduceApi produce,
    FetchApi fetch,
    ListOffsetsApi listOffsets,
    GroupApis groups,
    ScramUserApis users,
    TransactionApis transactions,
    DeleteRecordsApi deleteRecords,
    Executor admin)
    implements RequestHandler {
  @Override
  public CompletableFuture<AbstractResponse> handle(ClientRequest request) {
    return switch (request.apiKey()) {
      case API_VERSIONS -> done(supported.apiVersionsResponse(Errors.NONE));
      case METADATA ->
          topics.mayCreateTopics(request)
              ? CompletableFuture.supplyAsync(() -> topics.metadata(request), admin)
              : done(topics.metadata(request));
      case CREATE_TOPICS ->
          CompletableFuture.supplyAsync(() -> topics.createTopics(request), admin);
      case DELETE_TOPICS ->
          CompletableFuture.supplyAsync(() -> topics.deleteTopics(request), admin);
      case DESCRIBE_USER_SCRAM_CREDENTIALS -> users.describe(request);
      case ALTER_USER_SCRAM_CREDENTIALS -> users.alter(request);
      case DESCRIBE_CONFIGS -> done(topics.describeConfigs(request));
      case DESCRIBE_CLUSTER -> done(topics.describeCluster(request));
      case PRODUCE -> produce.produce(request);
      case INIT_PRODUCER_ID ->
          request.body(InitProducerIdRequest.class).data().transactionalId() != null
              ? transactions.initProducerId(request)
              : done(produce.initProducerId(request));
      case ADD_PARTITIONS_TO_TXN -> transactions.addPartitionsToTxn(request);
      case ADD_OFFSETS_TO_TXN -> transactions.addOffsetsToTxn(request);
      case END_TXN -> transactions.endTxn(request);
      case TXN_OFFSET_COMMIT -> transactions.txnOffsetCommit(request);
      case DESCRIBE_TRANSACTIONS -> transactions.describeTransactions(request);
      case LIST_TRANSACTIONS -> transactions.listTransactions(request);
      case DESCRIBE_PRODUCERS -> done(transactions.describeProducers(request));
      case DELETE_RECORDS ->
          CompletableFuture.supplyAsync(() -> deleteRecords.deleteRecords(request), admin);
      case CREATE_PARTITIONS ->
          CompletableFuture.supplyAsync(() -> topics.createPartitions(request), admin);
      case FETCH -> fetch.fetch(request);
      case LIST_OFFSETS -> done(listOffsets.listOffsets(request));
      case FIND_COORDINATOR -> done(groups.findCoordinator(request));
      case JOIN_GROUP -> groups.joinGroup(request);
      case SYNC_GROUP -> groups.syncGroup(request);
      case HEARTBEAT -> groups.heartbeat(request);
      case LEAVE_GROUP -> groups.leaveGroup(request);
      case OFFSET_COMMIT -> groups.offsetCommit(request);
      case OFFSET_FETCH -> groups.offsetFetch(request);
      case OFFSET_DELETE -> groups.offsetDelete(request);
      case DESCRIBE_GROUPS -> groups.describeGroups(request);
      case LIST_GROUPS -> groups.listGroups(request);
      case DELETE_GROUPS -> groups.deleteGroups(request);
      case CONSUMER_GROUP_HEARTBEAT -> groups.consumerGroupHeartbeat(request);
      case CONSUMER_GROUP_DESCRIBE -> groups.consumerGroupDescribe(request);
      default ->
          CompletableFuture.failedFuture(
              new UnsupportedVersionException(request.apiKey() + " is not supported"));
    };
  }

  private static CompletableFuture<AbstractResponse> done(AbstractResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
