package io.groupwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.groupwarden.http.BearerToken;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.api.KubernetesRecentEvents;
import io.groupwarden.operator.api.OperatorRoutes;
import io.groupwarden.operator.api.Probes;
import io.groupwarden.operator.common.ReconcilerServices;
import io.groupwarden.operator.events.EventRecorder;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lag.KafkaAdminPool;
import io.groupwarden.operator.lag.KafkaLagCollector;
import io.groupwarden.operator.lag.SharedLagReads;
import io.groupwarden.operator.lag.SharedRecordReads;
import io.groupwarden.operator.lagmonitor.LagMonitorReconciler;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.redis.RedisEndpoints;
import io.groupwarden.operator.metrics.OwnedGauges;
import io.groupwarden.operator.metrics.ResourceStatusMetrics;
import io.groupwarden.operator.policy.ConsumerGroupPolicyReconciler;
import io.groupwarden.operator.policy.PolicyStandby;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.MongoSinkReconciler;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.snapshot.HistorySnapshots;
import io.groupwarden.operator.startup.ApiServerCheck;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole operator assembled: shared Kafka connections, metrics, events, the reconcilers and the
 * HTTP server. {@link OperatorMain} runs it against a real cluster; tests run it against the mock
 * API server.
 */
public final class GroupwardenOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupwardenOperator.class);

  /** The custom resource kinds the operator watches. */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(ConsumerGroupPolicy.class, MongoSink.class, LagMonitor.class);

  /**
   * Reconciles under way at once, over all kinds. A policy's or monitor's reconcile mostly waits
   * for a shared Kafka read, which answers every waiting reconcile at once, so more threads than
   * JOSDK's 50 let a burst of new resources through sooner (scale benchmark, 1,680 resources
   * created together: first status p50 0.7 s with 200 threads, 8.1 s with 64). Each reconcile may
   * hold an API request on the client's one HTTP/2 connection; where the server allows fewer
   * concurrent streams (100 on fabric8's mock API server, 250 by Go's default on the Kubernetes API
   * server) the JDK client fails the excess requests and JOSDK retries them.
   */
  static final int RECONCILE_THREADS = 200;

  /** How the operator talks to the API server. */
  public enum Mode {
    /** Server-side apply for status and dependents. */
    PRODUCTION,
    /**
     * Plain patches instead of server-side apply: fabric8's mock API server does not support
     * server-side apply.
     */
    MOCK_API_SERVER
  }

  private final OperatorConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OwnedGauges gauges = new OwnedGauges(registry);
  private final ResourceStatusMetrics statusMetrics = new ResourceStatusMetrics(registry);
  private final InsightStore insights = new InsightStore();
  private final KafkaAdminPool kafka;
  private final KafkaLagCollector collector;
  private final SharedLagReads reads;
  private final SharedRecordReads records;
  private final RedisEndpoints redis;
  private final EventRecorder events;
  private final HistorySnapshots snapshots;
  private final AtomicBoolean leading;
  private final Operator operator;
  private PolicyStandby standby;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<String> died = new CompletableFuture<>();
  private HttpServer http;

  public GroupwardenOperator(
      OperatorConfig config, KubernetesClient client, Clock clock, Mode mode) {
    this.config = config;
    this.client = client;
    this.clock = clock;
    this.kafka = new KafkaAdminPool(config.kafkaTimeout());
    this.collector = new KafkaLagCollector(clock, config.kafkaTimeout());
    this.reads = new SharedLagReads(collector, clock, config.kafkaTimeout());
    this.records = new SharedRecordReads(config.kafkaTimeout());
    this.redis = new RedisEndpoints(config.kafkaTimeout());
    this.events = new EventRecorder(client, clock, "groupwarden-operator", config.identity());
    this.snapshots =
        new HistorySnapshots(
            config.historyTopic(), config.kafkaTimeout(), insights, config.historySnapshotEvery());
    this.leading = new AtomicBoolean(!config.leaderElection());
    boolean production = mode == Mode.PRODUCTION;
    this.operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(RECONCILE_THREADS)
                  .withUseSSAToPatchPrimaryResource(production)
                  .withSSABasedCreateUpdateMatchForDependentResources(production)
                  .withDependentResourceFactory(new ConfiguringDependentFactory(config))
                  // reconciliation counters: the "operator is not reconciling" alert reads them
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  // a watch that cannot sync fails the start instead of blocking it for long
                  .withCacheSyncTimeout(config.startupTimeout())
                  .withStopOnInformerErrorDuringStartup(true)
                  // a watch the client gave up on after start: the operator is dead, say so
                  .withInformerStoppedHandler(
                      (informer, cause) ->
                          died.complete(
                              "a watch of the Kubernetes API server "
                                  + client.getMasterUrl()
                                  + " stopped: "
                                  + (cause == null
                                      ? "without a cause"
                                      : ApiServerCheck.why(cause))));
              if (config.leaderElection()) {
                // A replica that loses the lease exits, so two never reconcile at once; in a
                // test JVM it only stops reconciling.
                overrider.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        config.leaseName(),
                        config.leaseNamespace(),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        config.identity(),
                        new LeaderCallbacks(
                            () -> leading.set(true), () -> leading.set(false), leader -> {}),
                        production));
              }
            });
    registerReconcilers();
  }

  private void registerReconcilers() {
    ReconcilerServices services =
        new ReconcilerServices(
            client,
            kafka,
            reads,
            events,
            gauges,
            insights,
            clock,
            config.kafkaTimeout(),
            config.coordinatorAddress());
    ConsumerGroupPolicyReconciler policies =
        new ConsumerGroupPolicyReconciler(services, records, snapshots);
    operator.register(policies, this::watchConfiguredNamespaces);
    standby =
        new PolicyStandby(
            client, policies, snapshots, insights, leading::get, config.watchNamespaces());
    operator.register(
        new MongoSinkReconciler(
            services,
            // A sink reads its one group itself each resync: on the shared reads its scale-up
            // missed the Scaled event in MongoSinkIT, a cause not yet found.
            collector,
            config.sinkResync()),
        this::watchConfiguredNamespaces);
    operator.register(new LagMonitorReconciler(services, redis), this::watchConfiguredNamespaces);
  }

  private void watchConfiguredNamespaces(ControllerConfigurationOverrider<?> overrider) {
    if (!config.watchNamespaces().isEmpty()) {
      overrider.settingNamespaces(new HashSet<>(config.watchNamespaces()));
    }
  }

  /** Starts the reconcilers and the HTTP server. */
  public GroupwardenOperator start() {
    try {
      http =
          OperatorRoutes.declare(
                  HttpServer.builder("operator")
                      .bind(config.httpHost(), config.httpPort())
                      .token(new BearerToken(config.apiToken())),
                  insights,
                  new Probes(
                      this::liveness,
                      this::readiness,
                      () -> {
                        statusMetrics.refresh();
                        return registry.scrape();
                      }),
                  new KubernetesRecentEvents(client, clock))
              .start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the HTTP server", e);
    }
    operator.start();
    statusMetrics.start(client, KINDS, config.watchNamespaces());
    standby.start(config.standbyRefresh());
    return this;
  }

  /** Whether this replica holds the lease (always, without leader election). */
  public boolean leading() {
    return leading.get();
  }

  /** What the insight API serves. */
  public InsightStore insights() {
    return insights;
  }

  /**
   * Alive until stopped or until a watch died for good: a dead operator must be restarted, and an
   * HTTP server that outlives it must not hide that.
   */
  private Probes.Verdict liveness() {
    if (died.isDone()) {
      return Probes.Verdict.down("dead: " + died.getNow(""));
    }
    return closed.get() ? Probes.Verdict.down("stopped") : Probes.Verdict.up("ok");
  }

  /**
   * Ready once every controller has started, which JOSDK does only after the first list of each of
   * its watches (the cache sync), and while every watch is healthy.
   */
  private Probes.Verdict readiness() {
    var runtime = operator.getRuntimeInfo();
    if (closed.get() || died.isDone() || !runtime.isStarted()) {
      return Probes.Verdict.down("not ready: starting");
    }
    List<String> unhealthy = new ArrayList<>();
    runtime
        .unhealthyEventSources()
        .forEach(
            (controller, sources) ->
                sources.forEach(
                    (source, health) ->
                        unhealthy.add(controller + "/" + source + "=" + health.getStatus())));
    if (!unhealthy.isEmpty()) {
      return Probes.Verdict.down("not ready: unhealthy event sources " + unhealthy);
    }
    return Probes.Verdict.up("ready");
  }

  /**
   * Completes with one line saying why when the operator can no longer work (a watch it cannot
   * restart); {@link OperatorMain} exits on it.
   */
  public CompletableFuture<String> died() {
    return died;
  }

  public int httpPort() {
    return http.port();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Closes this operator and then {@code client} when the JVM shuts down.
   *
   * @return a latch that opens once both are closed, for the main thread to wait on
   */
  public CountDownLatch closeOnShutdown(KubernetesClient client) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Shutting down");
                  close();
                  client.close();
                  stopped.countDown();
                },
                "groupwarden-shutdown"));
    return stopped;
  }

  /** Stops everything; calling it again does nothing. Safe after a failed start. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    standby.close();
    operator.stop();
    snapshots.flush();
    snapshots.close();
    statusMetrics.close();
    if (http != null) {
      http.close();
    }
    reads.close();
    records.close();
    kafka.close();
    redis.close();
  }
}
