package io.groupwarden.coordinator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.HttpText;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every byte reserved for a request frame is given back once the frame is handled, over plain TCP
 * and over TLS alike: after tens of megabytes of produce requests the bytes held return to zero, so
 * the bound ({@code queued.max.request.bytes}) never fills up with frames long gone and stalls the
 * broker.
 */
class RequestMemoryTest {
  @TempDir Path dir;

  @Test
  void reservedRequestBytesReturnToZeroAfterManyLargeProduceRequests() throws Exception {
    BrokerTls tls = BrokerTls.issue(dir.resolve("tls"), "memory-ca");
    Map<String, String> settings = tls.brokerSettings();
    settings.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0");
    // Small enough that a leak of a few hundred frames would stall the producer.
    settings.put("queued-max-request-bytes", String.valueOf(32 << 20));
    try (RunningCoordinator broker = RunningCoordinator.start(dir.resolve("data"), settings)) {
      for (String listener : List.of("PLAINTEXT", "SSL")) {
        Map<String, Object> props = listener.equals("SSL") ? tls.sslClient() : new HashMap<>();
        props.put("batch.size", 131072);
        props.put("linger.ms", 5);
        props.put("delivery.timeout.ms", 60_000);
        String bootstrap = "127.0.0.1:" + broker.coordinator().port(listener);
        String value = "x".repeat(1024);
        try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, props)) {
          Future<?> last = null;
          // 64 MB: twice the bound
          for (int i = 0; i < 64 * 1024; i++) {
            last = producer.send(new ProducerRecord<>("memory-" + listener, 0, null, value));
          }
          last.get(60, TimeUnit.SECONDS);
        }
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(gauge(broker, "coordinator_request_memory_bytes"))
                        .as("bytes still reserved after producing over %s", listener)
                        .isZero());
      }
    }
  }

  static double gauge(RunningCoordinator broker, String name) throws Exception {
    String body = HttpText.get(broker.httpBase() + "/metrics");
    return body.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
