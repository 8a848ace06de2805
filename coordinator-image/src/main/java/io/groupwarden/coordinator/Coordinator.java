package io.groupwarden.coordinator;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.api.BrokerIdentity;
import io.groupwarden.coordinator.api.DeleteRecordsApi;
import io.groupwarden.coordinator.api.FetchApi;
import io.groupwarden.coordinator.api.GroupApis;
import io.groupwarden.coordinator.api.KafkaApis;
import io.groupwarden.coordinator.api.ListOffsetsApi;
import io.groupwarden.coordinator.api.ProduceApi;
import io.groupwarden.coordinator.api.ProducerTurns;
import io.groupwarden.coordinator.api.ScramUserApis;
import io.groupwarden.coordinator.api.TopicApis;
import io.groupwarden.coordinator.api.TransactionApis;
import io.groupwarden.coordinator.config.GroupOptions;
import io.groupwarden.coordinator.config.Security;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.http.CoordinatorHttp;
import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.log.LogCleaner;
import io.groupwarden.coordinator.log.ProducerIdAllocator;
import io.groupwarden.coordinator.log.SegmentFiles;
import io.groupwarden.coordinator.log.TopicConfig;
import io.groupwarden.coordinator.log.TopicLimits;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.coordinator.net.ConnectionCounter;
import io.groupwarden.coordinator.net.ConnectionLimits;
import io.groupwarden.coordinator.net.InternalListener;
import io.groupwarden.coordinator.net.KafkaChannelInitializer;
import io.groupwarden.coordinator.net.KafkaServer;
import io.groupwarden.coordinator.net.Listener;
import io.groupwarden.coordinator.net.ListenerContext;
import io.groupwarden.coordinator.net.RequestMemory;
import io.groupwarden.coordinator.net.SupportedApis;
import io.groupwarden.coordinator.net.sasl.SaslAuthenticator;
import io.groupwarden.coordinator.net.sasl.UserCredentials;
import io.groupwarden.coordinator.net.tls.ReloadingSslContext;
import io.groupwarden.coordinator.txn.BrokerTransactionMarkers;
import io.groupwarden.coordinator.txn.TransactionConfig;
import io.groupwarden.coordinator.txn.TransactionCoordinator;
import io.groupwarden.coordinator.txn.TransactionMarkers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole broker: storage, group coordinator, Kafka listener and HTTP listener. */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  /** Keys the log cleaner indexes per pass: about 100 MB of heap at most, as Kafka's default. */
  private static final int LOG_CLEANER_MAX_KEYS = 1_000_000;

  private final CoordinatorConfig config;
  private final FsyncBatcher fsync = new FsyncBatcher();
  private final CoordinatorMetrics metrics = new CoordinatorMetrics();
  private final ScheduledExecutorService housekeeping = DaemonThreads.scheduled("log-retention");
  private TopicStore topics;
  private GroupCoordinator groups;
  private TransactionCoordinator transactions;
  private FetchApi fetch;
  private KafkaServer kafkaServer;
  private CoordinatorHttp http;
  private final ExecutorService admin = DaemonThreads.single("topic-admin");
  private final Map<String, Integer> boundPorts = new LinkedHashMap<>();
  // What every listener shares, set once by startServices.
  private SupportedApis supported;
  private ProduceApi produce;
  private ListOffsetsApi listOffsets;
  private TransactionApis transactionApis;
  private DeleteRecordsApi deleteRecords;
  private ScramUserApis userApis;
  private ConnectionLimits limits;
  private RequestMemory memory;
  private ConnectionCounter counter;
  private UserCredentials users;
  private ReloadingSslContext tls;
  private int kafkaPort;
  private int httpPort;

  private final UnaryOperator<TransactionMarkers> markerWriter;

  private Coordinator(CoordinatorConfig config, UnaryOperator<TransactionMarkers> markerWriter) {
    this.config = config;
    this.markerWriter = markerWriter;
  }

  public static Coordinator start(CoordinatorConfig config)
      throws IOException, InterruptedException {
    return start(config, UnaryOperator.identity());
  }

  /**
   * Starts with the transaction markers written through {@code markerWriter}: tests stop the broker
   * between a transaction's decision and (some of) its markers with it.
   */
  public static Coordinator start(
      CoordinatorConfig config, UnaryOperator<TransactionMarkers> markerWriter)
      throws IOException, InterruptedException {
    Coordinator coordinator = new Coordinator(config, markerWriter);
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
    SegmentFiles segmentFiles = new SegmentFiles(config.limits().maxOpenSegmentFiles());
    topics =
        TopicStore.open(
            data.resolve("topics"), topicDefaults, System::currentTimeMillis, segmentFiles);
    metrics.bindSegmentFiles(segmentFiles, SegmentFiles::openCount, SegmentFiles::opens);
    topics.limit(
        new TopicLimits(
            config.limits().maxTopics(),
            config.limits().maxPartitions(),
            config.limits().topicCreationRate(),
            System::currentTimeMillis,
            metrics::limitHit));
    groups =
        GroupCoordinator.startLoading(
            data.resolve("groups"),
            config.groups().shards(),
            config.groups().toConfig(),
            config.groups().offsetsRetentionCheckInterval().toMillis(),
            System::currentTimeMillis,
            metrics,
            fsync,
            new TopicStoreMetadata(topics));
    metrics.bindGroupCounts(groups::groupCount, groups::memberCount);
    ProducerIdAllocator producerIds = new ProducerIdAllocator(data.resolve("producer-ids"));
    TransactionConfig transactionConfig = config.transactions();
    transactions =
        TransactionCoordinator.start(
            data.resolve("transactions"),
            transactionConfig,
            System::currentTimeMillis,
            producerIds::nextProducerId,
            fsync,
            markerWriter.apply(new BrokerTransactionMarkers(topics, fsync, groups)),
            metrics);
    metrics.bindTransactionCount(transactions::openTransactions);

    supported = SupportedApis.standard(transactionConfig.transactionVersion());
    fetch = new FetchApi(topics);
    produce = new ProduceApi(topics, fsync, producerIds, transactions, new ProducerTurns());
    transactionApis = new TransactionApis(transactions, groups, topics);
    deleteRecords = new DeleteRecordsApi(topics);
    listOffsets = new ListOffsetsApi(topics);
    Security security = config.security();
    users = UserCredentials.open(data.resolve("users.json"));
    if (security.saslUsers() != null) {
      users.seed(security.saslUsers());
    }
    userApis = new ScramUserApis(users, security.superUsers(), admin);
    if (security.tls() != null) {
      tls = ReloadingSslContext.start(security.tls());
    }
    SaslAuthenticator authenticator =
        new SaslAuthenticator(
            users,
            security.saslMechanisms(),
            security.connectionsMaxReauth(),
            security.failedAuthenticationDelay());
    limits =
        new ConnectionLimits(
            config.maxRequestBytes(),
            ConnectionLimits.SASL_MAX_RECEIVE_BYTES,
            config.limits().connectionsMaxIdle().toMillis(),
            config.limits().maxConnections(),
            config.limits().maxConnectionsPerIp());
    memory = new RequestMemory(config.limits().queuedMaxRequestBytes(), metrics);
    counter = new ConnectionCounter(limits.maxConnections(), limits.maxConnectionsPerIp(), metrics);
    metrics.bindEdge(counter::open, memory::used);
    kafkaServer = new KafkaServer(Math.max(2, Runtime.getRuntime().availableProcessors()));
    for (Listener listener : config.listeners()) {
      startListener(
          listener,
          config.advertised(listener),
          clusterId,
          listener.tls() ? tls : null,
          listener.sasl() ? authenticator : null);
    }
    kafkaPort = boundPorts.get(config.listeners().get(0).name());
    // The HTTP consume API is a Kafka client of this very broker. It uses a listener of its own,
    // which needs no certificate or configured user and whose address is never advertised to
    // others: the configured listeners may all require TLS or SASL, and their advertised addresses
    // need not resolve inside the broker's own network namespace.
    InternalListener internal = new InternalListener(security.failedAuthenticationDelay());
    Listener internalListener = internal.listener();
    int internalPort =
        startListener(
            internalListener, internalListener, clusterId, null, internal.authenticator());
    http =
        CoordinatorHttp.start(
            new CoordinatorHttp.Settings(
                config.host(),
                config.httpPort(),
                internal.clientProperties(internalPort),
                clusterId,
                config.maxMessageBytes(),
                config.httpConsumeInstances(),
                config.httpConsumeIdleTimeout(),
                security.httpTls() ? tls::newHandler : null,
                security.httpToken()),
            topics,
            groups,
            metrics);
    httpPort = http.port();
    long retentionCheck = config.logRetentionCheckInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(
        topics::applyRetention, retentionCheck, retentionCheck, TimeUnit.MILLISECONDS);
    long producerCheck = config.producerIdExpirationCheckInterval().toMillis();
    housekeeping.scheduleWithFixedDelay(
        () -> topics.expireProducers(config.producerIdExpiration()),
        producerCheck,
        producerCheck,
        TimeUnit.MILLISECONDS);
    LogCleaner cleaner = new LogCleaner(LOG_CLEANER_MAX_KEYS);
    long cleanerBackoff = config.logCleanerBackoff().toMillis();
    housekeeping.scheduleWithFixedDelay(
        () -> topics.cleanCompactedTopics(cleaner),
        cleanerBackoff,
        cleanerBackoff,
        TimeUnit.MILLISECONDS);
    groups.awaitLoaded();
    long sinceJvmStart =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis())
            .orElse(-1L);
    LOG.info(
        "coordinator broker {} serving Kafka on {} and HTTP{} on {}:{}, data in {};"
            + " {} ms after the JVM started",
        config.nodeId(),
        config.listeners().stream()
            .map(l -> l.name() + "://" + l.bindHost() + ":" + boundPorts.get(l.name()))
            .collect(java.util.stream.Collectors.joining(",")),
        security.httpTls() ? "S" : "",
        config.host(),
        httpPort,
        data.toAbsolutePath(),
        sinceJvmStart);
  }

  /**
   * Binds one Kafka listener and returns its port.
   *
   * @param advertised what its clients are told to connect to; port 0: the bound port
   */
  private int startListener(
      Listener listener,
      Listener advertised,
      String clusterId,
      ReloadingSslContext listenerTls,
      SaslAuthenticator sasl)
      throws InterruptedException {
    int[] bound = new int[1];
    BrokerIdentity identity =
        new BrokerIdentity(
            config.nodeId(),
            advertised.host(),
            () -> advertised.port() == 0 ? bound[0] : advertised.port(),
            clusterId);
    KafkaApis apis =
        new KafkaApis(
            supported,
            new TopicApis(
                identity,
                topics,
                config.defaultPartitions(),
                config.autoCreateTopics(),
                brokerConfigs()),
            produce,
            fetch,
            listOffsets,
            new GroupApis(identity, groups),
            userApis,
            transactionApis,
            deleteRecords,
            admin);
    ListenerContext context =
        new ListenerContext(listener, apis, supported, limits, memory, listenerTls, sasl, metrics);
    bound[0] = kafkaServer.start(listener, new KafkaChannelInitializer(context, counter));
    boundPorts.put(listener.name(), bound[0]);
    LOG.info(
        "Kafka listener {} bound to port {}, advertised as {}:{}",
        listener,
        bound[0],
        advertised.host(),
        identity.port());
    return bound[0];
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
        "producer.id.expiration.ms", String.valueOf(config.producerIdExpiration().toMillis()));
    GroupOptions groups = config.groups();
    values.put(
        "group.min.session.timeout.ms", String.valueOf(groups.minSessionTimeout().toMillis()));
    values.put(
        "group.max.session.timeout.ms", String.valueOf(groups.maxSessionTimeout().toMillis()));
    values.put(
        "group.initial.rebalance.delay.ms",
        String.valueOf(groups.initialRebalanceDelay().toMillis()));
    values.put("group.max.size", String.valueOf(groups.maxSize()));
    values.put("offsets.retention.minutes", String.valueOf(groups.offsetsRetention().toMinutes()));
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

  /** The port a listener is bound to, by its name ({@code SASL_SSL}); null when there is none. */
  public Integer port(String listener) {
    return boundPorts.get(listener);
  }

  public UserCredentials users() {
    return users;
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

  public TransactionCoordinator transactions() {
    return transactions;
  }

  @Override
  public void close() {
    closeQuietly(http);
    closeQuietly(kafkaServer);
    admin.shutdownNow();
    closeQuietly(tls);
    closeQuietly(fetch);
    housekeeping.shutdownNow();
    closeQuietly(transactions);
    closeQuietly(groups);
    closeQuietly(fsync);
    closeQuietly(topics);
    if (transactions != null) {
      // every log is closed: the records of open transactions are on disk, they may stay open
      TransactionCoordinator.markCleanShutdown(config.dataDir().resolve("transactions"));
    }
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
