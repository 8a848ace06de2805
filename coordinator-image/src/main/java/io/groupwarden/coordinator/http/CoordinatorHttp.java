package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.http.Access;
import io.groupwarden.http.AsyncHandler;
import io.groupwarden.http.BearerToken;
import io.groupwarden.http.Handler;
import io.groupwarden.http.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's HTTP listener: which handler answers which route, on the shared HTTP layer. What
 * each route does lives in its handler; this class only assembles them and their metrics.
 */
public final class CoordinatorHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHttp.class);

  /**
   * @param host the address to listen on
   * @param port the port; 0 picks a free one
   * @param kafkaClient how a Kafka client reaches this broker (bootstrap address and security
   *     settings of its internal listener), for the consume, produce and health clients
   * @param clusterId this broker's cluster id, from which the default consume group is named
   * @param maxMessageBytes the largest record batch the broker accepts; bounds a request body
   * @param consumeInstances the most consumers {@code POST /consume} keeps open at once
   * @param consumeIdleTimeout how long an unused consumer stays open
   * @param tls makes the TLS handler of each connection when the port serves HTTPS, else null
   * @param token the bearer token every route but {@code /health} requires, or null for none
   */
  public record Settings(
      String host,
      int port,
      Map<String, Object> kafkaClient,
      String clusterId,
      int maxMessageBytes,
      int consumeInstances,
      Duration consumeIdleTimeout,
      Function<ByteBufAllocator, SslHandler> tls,
      String token) {}

  private final ObjectMapper json = new ObjectMapper();
  private final List<String> endpoints = new ArrayList<>();
  private final ConsumeService consume;
  private final ProduceHandler produce;
  private final HealthHandler health;
  private final ThreadPoolExecutor selections;
  private final HttpServer server;
  private Access access;

  private CoordinatorHttp(
      Settings settings, TopicStore topics, GroupCoordinator groups, CoordinatorMetrics metrics)
      throws InterruptedException {
    String defaultGroupId = "http-consume-" + settings.clusterId();
    consume =
        new ConsumeService(
            new ConsumeService.Settings(settings.consumeInstances(), settings.consumeIdleTimeout()),
            ConsumeService.kafkaConsumers(settings.kafkaClient(), settings.consumeIdleTimeout()),
            () -> System.nanoTime() / 1_000_000);
    produce = new ProduceHandler(topics, json, settings.kafkaClient(), settings.maxMessageBytes());
    health = new HealthHandler(metrics, settings.kafkaClient(), Clock.systemUTC());
    ServiceDocs docs = new ServiceDocs(json, this::endpoints);
    selections =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            DaemonThreads.numbered("http-messages"));
    selections.allowCoreThreadTimeOut(true);
    TopicsHandler topicsHandler = new TopicsHandler(topics, defaultGroupId, json, selections);
    ConsumerGroupsHandler groupsHandler = new ConsumerGroupsHandler(groups, topics);
    ConsumeHandler consumeHandler = new ConsumeHandler(topics, consume, defaultGroupId);

    HttpServer.Builder builder =
        HttpServer.builder("coordinator")
            .bind(settings.host(), settings.port())
            .json(json)
            // A /produce body carries one message of up to the broker's maximum, plus JSON framing.
            .maxRequestBytes(settings.maxMessageBytes() + 64 * 1024)
            .workers(8, 1024);
    if (settings.tls() != null) {
      builder.tlsHandlers(settings.tls());
    }
    // With a token, everything but the probes' /health requires it.
    access = settings.token() == null ? Access.OPEN : Access.TOKEN;
    builder.token(new BearerToken(settings.token()));
    // GET / lists the resources in this order.
    get(builder, "/", docs::about);
    endpoints.add("GET /health");
    builder.routeAsync("GET", "/health", Access.OPEN, health::health);
    postAsync(builder, "/consume", consumeHandler::consume);
    postAsync(builder, "/produce", produce::produce);
    get(builder, "/topics", topicsHandler::list);
    getAsync(builder, "/messages/{topic}", topicsHandler::messages);
    getAsync(builder, "/consumer-groups", groupsHandler::list);
    getAsync(builder, "/consumer-groups/{group}", groupsHandler::detail);
    getAsync(builder, "/consumer-groups/{group}/assignments", groupsHandler::assignments);
    get(builder, "/metrics", health::metrics);
    get(builder, "/docs", docs::openApi);
    try {
      server = builder.start();
    } catch (InterruptedException | RuntimeException e) {
      selections.shutdownNow();
      closeClients();
      throw e;
    }
    bindMetrics(metrics.registry());
  }

  /** Starts listening; the clients of the broker's own listener are made on first use. */
  public static CoordinatorHttp start(
      Settings settings, TopicStore topics, GroupCoordinator groups, CoordinatorMetrics metrics)
      throws InterruptedException {
    return new CoordinatorHttp(settings, topics, groups, metrics);
  }

  private void get(HttpServer.Builder builder, String path, Handler handler) {
    endpoints.add("GET " + path);
    builder.get(path, access, handler);
  }

  private void getAsync(HttpServer.Builder builder, String path, AsyncHandler handler) {
    endpoints.add("GET " + path);
    builder.routeAsync("GET", path, access, handler);
  }

  private void postAsync(HttpServer.Builder builder, String path, AsyncHandler handler) {
    endpoints.add("POST " + path);
    builder.routeAsync("POST", path, access, handler);
  }

  private void bindMetrics(MeterRegistry registry) {
    counter(
        registry,
        "coordinator.http.connections.refused",
        "HTTP connections closed on arrival because the server had its maximum open",
        s -> s.server.refusedConnections());
    counter(
        registry,
        "coordinator.http.requests.refused",
        "HTTP requests answered 503 at once because every worker was busy",
        s -> s.server.refusedRequests());
    failedRequests(registry, "4xx", s -> s.server.clientErrors());
    failedRequests(registry, "5xx", s -> s.server.serverErrors());
    counter(
        registry,
        "coordinator.http.write.failures",
        "HTTP answers that could not be written completely (the connection was closed)",
        s -> s.server.writeFailures());
    counter(
        registry,
        "coordinator.http.consume.refused",
        "POST /consume requests answered 503 because every consumer was busy",
        s -> s.consume.refusedRequests());
    counter(
        registry,
        "coordinator.http.consume.idle.closed",
        "POST /consume consumers closed by the idle timer",
        s -> s.consume.closedIdle());
    gauge(
        registry,
        "coordinator.http.consume.instances",
        "consumers POST /consume holds open",
        s -> s.consume.instances());
    gauge(
        registry,
        "coordinator.http.consume.threads",
        "threads driving POST /consume consumers",
        s -> s.consume.threads());
  }

  /** HTTP answers with an error status, one counter a status class. */
  private void failedRequests(
      MeterRegistry registry, String statusClass, ToDoubleFunction<CoordinatorHttp> value) {
    FunctionCounter.builder("coordinator.http.requests.failed", this, value)
        .description("HTTP answers with a 4xx or 5xx status")
        .tag("status", statusClass)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<CoordinatorHttp> value) {
    Gauge.builder(name, this, value).description(description).register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<CoordinatorHttp> value) {
    FunctionCounter.builder(name, this, value).description(description).register(registry);
  }

  public int port() {
    return server.port();
  }

  /** The routes served, as "METHOD /path/{param}"; the OpenAPI document must list exactly these. */
  public List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  private void closeClients() {
    for (AutoCloseable client : new AutoCloseable[] {consume, produce, health}) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.warn("stopping the HTTP side's Kafka client failed", e);
      }
    }
  }

  @Override
  public void close() {
    server.close();
    selections.shutdownNow();
    closeClients();
  }
}
