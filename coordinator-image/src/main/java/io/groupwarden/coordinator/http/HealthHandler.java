package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * {@code /health} and {@code /metrics}. Health is a real Kafka round trip through this broker's own
 * listener (DescribeCluster), so it reports what a client would find; it answers 503 when the
 * broker does not answer. One check serves every request made while it runs and for a second after.
 */
final class HealthHandler implements AutoCloseable {
  private static final int CHECK_TIMEOUT_MS = 2_000;
  private static final long REUSE_MS = 1_000;

  /** The health answer, with the field names of the consume service this replaces. */
  record Health(
      String status, String timestamp, @JsonProperty("kafka_connected") boolean kafkaConnected) {}

  private final CoordinatorMetrics metrics;
  private final Map<String, Object> kafkaClient;
  private final Clock clock;
  private Admin admin;
  private CompletableFuture<Boolean> check;
  private long checkedAtMs;

  HealthHandler(CoordinatorMetrics metrics, Map<String, Object> kafkaClient, Clock clock) {
    this.metrics = metrics;
    this.kafkaClient = Map.copyOf(kafkaClient);
    this.clock = clock;
  }

  CompletableFuture<Response> health(Request request) {
    return connected()
        .thenApply(
            connected ->
                Response.json(
                    connected ? 200 : 503,
                    new Health(
                        connected ? "healthy" : "unhealthy",
                        clock.instant().toString(),
                        connected)));
  }

  Response metrics(Request request) {
    return Response.prometheus(metrics.scrape());
  }

  private synchronized CompletableFuture<Boolean> connected() {
    long now = clock.millis();
    if (check != null && (!check.isDone() || now - checkedAtMs < REUSE_MS)) {
      return check;
    }
    checkedAtMs = now;
    check =
        admin()
            .describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS))
            .clusterId()
            .toCompletionStage()
            .toCompletableFuture()
            .handle((id, error) -> error == null && id != null);
    return check;
  }

  /** Made on first use, so that starting the broker does not wait for a Kafka client. */
  private Admin admin() {
    if (admin == null) {
      Map<String, Object> props = new HashMap<>(kafkaClient);
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "http-health");
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
      props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
      admin = Admin.create(props);
    }
    return admin;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
