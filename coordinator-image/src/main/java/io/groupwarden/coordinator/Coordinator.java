package io.groupwarden.coordinator;

import io.groupwarden.coordinator.api.BrokerIdentity;
import io.groupwarden.coordinator.api.FetchApi;
import io.groupwarden.coordinator.api.GroupApis;
import io.groupwarden.coordinator.api.KafkaApis;
import io.groupwarden.coordinator.api.ListOffsetsApi;
import io.groupwarden.coordinator.api.ProduceApi;
import io.groupwarden.coordinator.api.TopicApis;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.group.assignor.Assignors;
import io.groupwarden.coordinator.http.HttpApi;
import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.log.ProducerIdAllocator;
import io.groupwarden.coordinator.log.TopicConfig;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.coordinator.net.KafkaChannelInitializer;
import io.groupwarden.coordinator.net.KafkaServer;
import io.groupwarden.coordinator.net.SupportedApis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole broker: storage, group coordinator, Kafka listener and HTTP listener. */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final CoordinatorConfig config;
  private final FsyncBatcher fsync = new FsyncBatcher();
  private final CoordinatorMetrics metrics = new CoordinatorMetrics();
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "log-retention");
            thread.setDaemon(true);
            return thread;
          });
  private TopicStore topics;
  private GroupCoordinator groups;
  private FetchApi fetch;
  private KafkaServer kafkaServer;
  private HttpApi http;
  private int kafkaPort;
  private int httpPort;

  private Coordinator(CoordinatorConfig config) {
    this.config = config;
  }

  public static Coordinator start(CoordinatorConfig config)
      throws IOException, InterruptedException {
    Coordinator coordinator = new Coordinator(config);
    try {
      coordinator.startServices();
    } catch (IOException | InterruptedException | RuntimeException e) {
      coordinator.close();
      throw e;
    }
    return coordinator;
  }

  private void startServices() throws IOException, InterruptedException {
    Path data = config.dataDir();
    Files.createDirectories(data);
    String clusterId = clusterId(data);
    TopicConfig topicDefaults =
        new TopicConfig(
            config.logRetention().toMillis(),
            config.logRetentionBytes(),
            config.logSegmentBytes(),
            7L * 24 * 3600 * 1000,
            config.maxMessageBytes());
    topics = TopicStore.open(data.resolve("topics"), topicDefaults, System::currentTimeMillis);
    GroupConfig groupConfig =
        GroupConfig.builder()
            .minSessionTimeoutMs((int) config.groupMinSessionTimeout().toMillis())
            .maxSessionTimeoutMs((int) config.groupMaxSessionTimeout().toMillis())
            .initialRebalanceDelayMs((int) config.groupInitialRebalanceDelay().toMillis())
            .maxSize(config.groupMaxSize())
            .offsetsRetentionMs(config.offsetsRetention().toMillis())
            .offsetMetadataMaxBytes(config.offsetMetadataMaxBytes())
            .consumerSessionTimeoutMs((int) config.groupConsumerSessionTimeout().toMillis())
            .consumerHeartbeatIntervalMs((int) config.groupConsumerHeartbeatInterval().toMillis())
            .assignors(Assignors.parse(List.of(config.groupConsumerAssignors().split(","))))
            .build();
    groups =
        GroupCoordinator.startLoading(
            data.resolve("groups"),
            config.groupShards(),
            groupConfig,
            config.offsetsRetentionCheckInterval().toMillis(),
            System::currentTimeMillis,
            metrics,
            fsync,
            new TopicStoreMetadata(topics));
    metrics.bindGroupCounts(groups::groupCount, groups::memberCount);

    BrokerIdentity identity =
        new BrokerIdentity(
            config.nodeId(),
            config.advertisedHost(),
            () -> config.advertisedPort() == 0 ? kafkaPort : config.advertisedPort(),
            clusterId);
    SupportedApis supported = SupportedApis.standard();
    fetch = new FetchApi(topics);
    KafkaApis apis =
        new KafkaApis(
            supported,
            new TopicApis(
                identity,
                topics,
                config.defaultPartitions(),
                config.autoCreateTopics(),
                brokerConfigs()),
            new ProduceApi(topics, fsync, new ProducerIdAllocator(data.resolve("producer-ids"))),
            fetch,
            new ListOffsetsApi(topics),
            new GroupApis(identity, groups));
    kafkaServer = new KafkaServer(Math.max(2, Runtime.getRuntime().availableProcessors()));
    kafkaPort =
        kafkaServer.start(
            config.host(),
            config.port(),
            new KafkaChannelInitializer(apis, supported, config.maxRequestBytes()));
    // The HTTP consume API is a Kafka client of this very broker.
    String selfHost =
        config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
    http = new HttpApi(topics, groups, metrics, selfHost, kafkaPort);
    httpPort = http.start(config.host(), config.httpPort());
    long retentionCheck = config.logRetentionCheckInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(
        topics::applyRetention, retentionCheck, retentionCheck, TimeUnit.MILLISECONDS);
    groups.awaitLoaded();
    long sinceJvmStart =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis())
            .orElse(-1L);
    LOG.info(
        "coordinator broker {} serving Kafka on {}:{} (advertised {}:{}) and HTTP on {}, data in {};"
            + " {} ms after the JVM started",
        config.nodeId(),
        config.host(),
        kafkaPort,
        config.advertisedHost(),
        identity.port(),
        httpPort,
        data.toAbsolutePath(),
        sinceJvmStart);
  }

  private Map<String, String> brokerConfigs() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("broker.id", String.valueOf(config.nodeId()));
    values.put("auto.create.topics.enable", String.valueOf(config.autoCreateTopics()));
    values.put("num.partitions", String.valueOf(config.defaultPartitions()));
    values.put("log.retention.ms", String.valueOf(config.logRetention().toMillis()));
    values.put("log.retention.bytes", String.valueOf(config.logRetentionBytes()));
    values.put("log.segment.bytes", String.valueOf(config.logSegmentBytes()));
    values.put("message.max.bytes", String.valueOf(config.maxMessageBytes()));
    values.put(
        "group.min.session.timeout.ms", String.valueOf(config.groupMinSessionTimeout().toMillis()));
    values.put(
        "group.max.session.timeout.ms", String.valueOf(config.groupMaxSessionTimeout().toMillis()));
    values.put(
        "group.initial.rebalance.delay.ms",
        String.valueOf(config.groupInitialRebalanceDelay().toMillis()));
    values.put("group.max.size", String.valueOf(config.groupMaxSize()));
    values.put("offsets.retention.minutes", String.valueOf(config.offsetsRetention().toMinutes()));
    return values;
  }

  /** The cluster id, made up at the first start and kept in the data directory. */
  private static String clusterId(Path data) throws IOException {
    Path file = data.resolve("cluster-id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.writeString(file, id, StandardCharsets.UTF_8);
    return id;
  }

  public int kafkaPort() {
    return kafkaPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public String bootstrapServers() {
    return config.advertisedHost() + ":" + kafkaPort;
  }

  public GroupCoordinator groups() {
    return groups;
  }

  public TopicStore topics() {
    return topics;
  }

  @Override
  public void close() {
    closeQuietly(http);
    closeQuietly(kafkaServer);
    closeQuietly(fetch);
    housekeeping.shutdownNow();
    closeQuietly(groups);
    closeQuietly(fsync);
    closeQuietly(topics);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("error while stopping {}", closeable, e);
    }
  }
}
