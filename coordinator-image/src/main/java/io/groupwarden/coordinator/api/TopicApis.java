package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicConfig;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;

/** Metadata, topic creation, growth and deletion, configs and the cluster description. */
public record TopicApis(
    BrokerIdentity broker,
    TopicStore topics,
    int defaultPartitions,
    boolean autoCreate,
    Map<String, String> brokerConfigs) {
  private static final int OPERATIONS_OMITTED = Integer.MIN_VALUE;

  public MetadataResponse metadata(ClientRequest request) {
    MetadataRequestData data = request.body(MetadataRequest.class).data();
    short version = request.version();
    MetadataResponseData response =
        new MetadataResponseData()
            .setClusterId(broker.clusterId())
            .setControllerId(broker.nodeId())
            .setClusterAuthorizedOperations(OPERATIONS_OMITTED);
    response
        .brokers()
        .add(
            new MetadataResponseBroker()
                .setNodeId(broker.nodeId())
                .setHost(broker.host())
                .setPort(broker.port()));
    boolean allTopics = data.topics() == null || (version == 0 && data.topics().isEmpty());
    if (allTopics) {
      for (Topic topic : topics.all()) {
        response.topics().add(describe(topic));
      }
    } else {
      boolean mayCreate = autoCreate && (version < 4 || data.allowAutoTopicCreation());
      int[] throttleMs = {0};
      for (MetadataRequestTopic requested : data.topics()) {
        response.topics().add(lookup(requested, mayCreate, throttleMs));
      }
      response.setThrottleTimeMs(throttleMs[0]);
    }
    return new MetadataResponse(response, version);
  }

  /**
   * True when answering this Metadata request may create topics (file work: not on a network
   * thread).
   */
  public boolean mayCreateTopics(ClientRequest request) {
    MetadataRequestData data = request.body(MetadataRequest.class).data();
    if (!autoCreate
        || data.topics() == null
        || (request.version() >= 4 && !data.allowAutoTopicCreation())) {
      return false;
    }
    for (MetadataRequestTopic requested : data.topics()) {
      if (requested.name() != null && topics.get(requested.name()) == null) {
        return true;
      }
    }
    return false;
  }

  /** Describes one requested topic, creating it if allowed; {@code throttleMs[0]} grows. */
  private MetadataResponseTopic lookup(
      MetadataRequestTopic requested, boolean mayCreate, int[] throttleMs) {
    String name = requested.name();
    // A lookup by id (consumer-protocol clients resolve their assignment this way) may leave the
    // name empty rather than null, as Kafka's broker accepts: the id decides.
    boolean byId =
        requested.topicId() != null
            && !requested.topicId().equals(org.apache.kafka.common.Uuid.ZERO_UUID);
    if (name == null || (name.isEmpty() && byId)) {
      Topic topic = topics.get(requested.topicId());
      return topic != null
          ? describe(topic)
          : new MetadataResponseTopic()
              .setTopicId(requested.topicId())
              .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
    }
    Topic topic = topics.get(name);
    if (topic == null && mayCreate) {
      try {
        topic = topics.create(name, defaultPartitions, Map.of(), false);
      } catch (org.apache.kafka.common.errors.TopicExistsException e) {
        topic = topics.get(name);
      } catch (ApiException e) {
        if (e instanceof ThrottlingQuotaExceededException throttled) {
          throttleMs[0] = Math.max(throttleMs[0], throttled.throttleTimeMs());
        }
        return new MetadataResponseTopic()
            .setName(name)
            .setErrorCode(Errors.forException(e).code());
      }
    }
    if (topic == null) {
      return new MetadataResponseTopic()
          .setName(name)
          .setErrorCode(
              org.apache.kafka.common.internals.Topic.isValid(name)
                  ? Errors.UNKNOWN_TOPIC_OR_PARTITION.code()
                  : Errors.INVALID_TOPIC_EXCEPTION.code());
    }
    return describe(topic);
  }

  private MetadataResponseTopic describe(Topic topic) {
    MetadataResponseTopic result =
        new MetadataResponseTopic()
            .setName(topic.name())
            .setTopicId(topic.id())
            .setIsInternal(false)
            .setTopicAuthorizedOperations(OPERATIONS_OMITTED);
    for (int p = 0; p < topic.partitions().size(); p++) {
      result
          .partitions()
          .add(
              new MetadataResponsePartition()
                  .setPartitionIndex(p)
                  .setLeaderId(broker.nodeId())
                  .setLeaderEpoch(0)
                  .setReplicaNodes(List.of(broker.nodeId()))
                  .setIsrNodes(List.of(broker.nodeId()))
                  .setOfflineReplicas(List.of()));
    }
    return result;
  }

  public CreateTopicsResponse createTopics(ClientRequest request) {
    CreateTopicsRequest body = request.body(CreateTopicsRequest.class);
    boolean validateOnly = body.data().validateOnly();
    CreateTopicsResponseData response = new CreateTopicsResponseData();
    Set<String> seen = new HashSet<>();
    for (CreatableTopic requested : body.data().topics()) {
      CreatableTopicResult result = new CreatableTopicResult().setName(requested.name());
      if (!seen.add(requested.name())) {
        result
            .setErrorCode(Errors.INVALID_REQUEST.code())
            .setErrorMessage("topic '" + requested.name() + "' is named twice in the request");
      } else {
        try {
          Topic topic = create(requested, validateOnly);
          result
              .setTopicId(topic.id())
              .setNumPartitions(
                  validateOnly ? partitionCount(requested) : topic.partitions().size())
              .setReplicationFactor((short) 1)
              .setConfigs(configsOf(topic.config()));
        } catch (ApiException e) {
          if (e instanceof ThrottlingQuotaExceededException throttled) {
            response.setThrottleTimeMs(
                Math.max(response.throttleTimeMs(), throttled.throttleTimeMs()));
          }
          result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
      }
      response.topics().add(result);
    }
    return new CreateTopicsResponse(response);
  }

  private Topic create(CreatableTopic requested, boolean validateOnly) {
    if (requested.replicationFactor() > 1) {
      throw new InvalidReplicationFactorException(
          "replication factor "
              + requested.replicationFactor()
              + " is larger than the number of brokers (1)");
    }
    for (CreatableReplicaAssignment assignment : requested.assignments()) {
      if (!assignment.brokerIds().equals(List.of(broker.nodeId()))) {
        throw new InvalidReplicaAssignmentException(
            "partition "
                + assignment.partitionIndex()
                + " must be assigned to broker "
                + broker.nodeId());
      }
    }
    Map<String, String> configs = new LinkedHashMap<>();
    requested.configs().forEach(c -> configs.put(c.name(), c.value()));
    return topics.create(requested.name(), partitionCount(requested), configs, validateOnly);
  }

  private int partitionCount(CreatableTopic requested) {
    if (!requested.assignments().isEmpty()) {
      return requested.assignments().size();
    }
    return requested.numPartitions() == -1 ? defaultPartitions : requested.numPartitions();
  }

  private List<CreatableTopicConfigs> configsOf(TopicConfig config) {
    Map<String, String> defaults = topics.defaults().asMap();
    List<CreatableTopicConfigs> list = new ArrayList<>();
    config
        .asMap()
        .forEach(
            (name, value) ->
                list.add(
                    new CreatableTopicConfigs()
                        .setName(name)
                        .setValue(value)
                        .setReadOnly(false)
                        .setConfigSource(
                            value.equals(defaults.get(name))
                                ? org.apache.kafka.common.requests.DescribeConfigsResponse
                                    .ConfigSource.DEFAULT_CONFIG
                                    .id()
                                : org.apache.kafka.common.requests.DescribeConfigsResponse
                                    .ConfigSource.TOPIC_CONFIG
                                    .id())
                        .setIsSensitive(false)));
    return list;
  }

  /**
   * CreatePartitions: grows topics (replicas are this broker's; explicit assignments must name it).
   */
  public CreatePartitionsResponse createPartitions(ClientRequest request) {
    CreatePartitionsRequestData data = request.body(CreatePartitionsRequest.class).data();
    CreatePartitionsResponseData response = new CreatePartitionsResponseData();
    Set<String> seen = new HashSet<>();
    for (CreatePartitionsTopic requested : data.topics()) {
      CreatePartitionsTopicResult result =
          new CreatePartitionsTopicResult().setName(requested.name());
      try {
        if (!seen.add(requested.name())) {
          throw new org.apache.kafka.common.errors.InvalidRequestException(
              "topic '" + requested.name() + "' is named twice in the request");
        }
        if (requested.assignments() != null) {
          for (CreatePartitionsAssignment assignment : requested.assignments()) {
            if (!assignment.brokerIds().equals(List.of(broker.nodeId()))) {
              throw new InvalidReplicaAssignmentException(
                  "new partitions must be assigned to broker " + broker.nodeId());
            }
          }
        }
        topics.addPartitions(requested.name(), requested.count(), data.validateOnly());
      } catch (ApiException e) {
        result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
      }
      response.results().add(result);
    }
    return new CreatePartitionsResponse(response);
  }

  public DeleteTopicsResponse deleteTopics(ClientRequest request) {
    DeleteTopicsRequestData data = request.body(DeleteTopicsRequest.class).data();
    DeleteTopicsResponseData response = new DeleteTopicsResponseData();
    List<DeleteTopicState> targets = new ArrayList<>(data.topics());
    for (String name : data.topicNames()) {
      targets.add(new DeleteTopicState().setName(name).setTopicId(Uuid.ZERO_UUID));
    }
    for (DeleteTopicState target : targets) {
      DeletableTopicResult result = new DeletableTopicResult();
      Topic topic =
          target.name() != null ? topics.get(target.name()) : topics.get(target.topicId());
      result.setName(target.name()).setTopicId(target.topicId());
      if (topic == null) {
        Errors error =
            target.name() == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        result.setErrorCode(error.code()).setErrorMessage(error.message());
      } else {
        try {
          topics.delete(topic.name());
          result.setName(topic.name()).setTopicId(topic.id());
        } catch (ApiException e) {
          result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        }
      }
      response.responses().add(result);
    }
    return new DeleteTopicsResponse(response);
  }

  public DescribeConfigsResponse describeConfigs(ClientRequest request) {
    DescribeConfigsRequest body = request.body(DescribeConfigsRequest.class);
    DescribeConfigsResponseData response = new DescribeConfigsResponseData();
    for (DescribeConfigsResource resource : body.data().resources()) {
      DescribeConfigsResult result =
          new DescribeConfigsResult()
              .setResourceType(resource.resourceType())
              .setResourceName(resource.resourceName());
      ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
      Map<String, String> values;
      Map<String, String> defaults;
      if (type == ConfigResource.Type.TOPIC) {
        Topic topic = topics.get(resource.resourceName());
        if (topic == null) {
          response
              .results()
              .add(
                  result
                      .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                      .setErrorMessage("Topic '" + resource.resourceName() + "' does not exist."));
          continue;
        }
        values = topic.config().asMap();
        defaults = topics.defaults().asMap();
      } else if (type == ConfigResource.Type.BROKER
          && (resource.resourceName().isEmpty()
              || resource.resourceName().equals(String.valueOf(broker.nodeId())))) {
        values = brokerConfigs;
        defaults = brokerConfigs;
      } else {
        response
            .results()
            .add(
                result
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage(
                        "unsupported config resource " + type + " " + resource.resourceName()));
        continue;
      }
      Map<String, String> wanted = values;
      if (resource.configurationKeys() != null) {
        wanted = new LinkedHashMap<>();
        for (String key : resource.configurationKeys()) {
          if (values.containsKey(key)) {
            wanted.put(key, values.get(key));
          }
        }
      }
      wanted.forEach(
          (name, value) ->
              result
                  .configs()
                  .add(
                      new DescribeConfigsResourceResult()
                          .setName(name)
                          .setValue(value)
                          .setReadOnly(type == ConfigResource.Type.BROKER)
                          .setConfigSource(
                              type == ConfigResource.Type.BROKER
                                  ? DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG.id()
                                  : value.equals(defaults.get(name))
                                      ? DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id()
                                      : DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id())
                          .setIsSensitive(false)));
      response.results().add(result);
    }
    return new DescribeConfigsResponse(response);
  }

  public DescribeClusterResponse describeCluster(ClientRequest request) {
    DescribeClusterResponseData response =
        new DescribeClusterResponseData()
            .setClusterId(broker.clusterId())
            .setControllerId(broker.nodeId())
            .setClusterAuthorizedOperations(OPERATIONS_OMITTED)
            .setEndpointType((byte) 1);
    response
        .brokers()
        .add(
            new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(broker.nodeId())
                .setHost(broker.host())
                .setPort(broker.port()));
    return new DescribeClusterResponse(response);
  }

  /** The log of a partition, or null when the topic or partition does not exist. */
  public PartitionLog log(String topic, int partition) {
    Topic t = topics.get(topic);
    return t == null ? null : t.partition(partition);
  }
}
