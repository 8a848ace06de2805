package io.groupwarden.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.net.InternalListener;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.HttpText;
import io.groupwarden.coordinator.support.RawKafkaConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker whose only configured listener is SASL_SSL, with a short SASL session lifetime: clients
 * re-authenticate while they work (KIP-368) and lose nothing, a connection that lets its session
 * end is closed at its next request, and the HTTP consume API, itself a Kafka client, still works
 * through the broker's internal listener, which no one else is told about or can log in to.
 */
class SaslSslOnlyBrokerTest {
  static final String ALICE_PASSWORD = "alice-secret-2b9e";
  static final Duration SESSION = Duration.ofSeconds(3);
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final CoordinatorPerClass broker =
      CoordinatorPerClass.withTls(
          "only-ca",
          (tls, dir) ->
              Map.of(
                  "listeners",
                  "SASL_SSL://127.0.0.1:0",
                  "sasl-mechanisms",
                  "SCRAM-SHA-512,PLAIN",
                  "sasl-users",
                  Files.writeString(dir.resolve("users"), "alice:" + ALICE_PASSWORD + "\n")
                      .toString(),
                  "connections-max-reauth",
                  SESSION.toSeconds() + "s"));

  static String bootstrap() {
    return "127.0.0.1:" + broker.coordinator().port("SASL_SSL");
  }

  static Map<String, Object> alice() {
    return broker.tls().saslClient("SCRAM-SHA-512", "alice", ALICE_PASSWORD);
  }

  @Test
  void aProducerReauthenticatesWhileProducingAndNothingIsLost() throws Exception {
    String topic = "reauth-topic";
    Map<String, Object> props = alice();
    props.put("enable.idempotence", "true");
    props.put("acks", "all");
    int count = 0;
    double reauthenticated;
    try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(), props)) {
      // One record at a time, each acknowledged, for about four session lifetimes.
      long end = System.nanoTime() + SESSION.multipliedBy(4).toNanos();
      while (System.nanoTime() < end) {
        producer.send(new ProducerRecord<>(topic, 0, "k", "v" + count)).get(30, TimeUnit.SECONDS);
        count++;
      }
      reauthenticated = clientMetric(producer.metrics(), "successful-reauthentication-total");
      assertThat(clientMetric(producer.metrics(), "failed-reauthentication-total")).isZero();
    }
    assertThat(reauthenticated)
        .as("re-authentications the producer made")
        .isGreaterThanOrEqualTo(2);
    assertThat(brokerCounter("coordinator_reauthentications_total", "SASL_SSL"))
        .isGreaterThanOrEqualTo(2);

    int produced = count;
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(bootstrap(), "reauth-reader", alice())) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= produced;
              });
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add("v" + i);
    }
    assertThat(values).containsExactlyElementsOf(expected);
  }

  @Test
  void aSessionThatEndsWithoutReauthenticationIsClosedAtItsNextRequest() throws Exception {
    try (RawKafkaConnection connection =
        RawKafkaConnection.tls(
            "127.0.0.1", broker.coordinator().port("SASL_SSL"), broker.tls().ca())) {
      SaslHandshakeResponse handshake =
          (SaslHandshakeResponse)
              connection.send(
                  new SaslHandshakeRequest.Builder(
                          new SaslHandshakeRequestData().setMechanism("PLAIN"))
                      .build((short) 1));
      assertThat(handshake.error()).isEqualTo(Errors.NONE);
      SaslAuthenticateResponse authenticated =
          (SaslAuthenticateResponse)
              connection.send(
                  new SaslAuthenticateRequest.Builder(
                          new SaslAuthenticateRequestData()
                              .setAuthBytes(
                                  ("\0alice\0" + ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                      .build((short) 2));
      long authenticatedAt = System.nanoTime();
      assertThat(authenticated.error()).isEqualTo(Errors.NONE);
      assertThat(authenticated.sessionLifetimeMs()).isEqualTo(SESSION.toMillis());

      // Served while the session lasts; closed at the first request after it ended.
      List<Long> answeredAtMs = new ArrayList<>();
      Awaitility.await()
          .pollInterval(Duration.ofMillis(250))
          .atMost(SESSION.plusSeconds(10))
          .until(
              () -> {
                MetadataResponse metadata = metadata(connection);
                if (metadata == null) {
                  return true;
                }
                answeredAtMs.add(
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - authenticatedAt));
                return false;
              });
      long closedAtMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - authenticatedAt);
      assertThat(answeredAtMs).isNotEmpty();
      assertThat(answeredAtMs).allMatch(ms -> ms < SESSION.toMillis() + 1_000);
      assertThat(closedAtMs).isGreaterThanOrEqualTo(SESSION.toMillis());
    }
  }

  /** A Metadata response, or null when the broker closed the connection instead. */
  static MetadataResponse metadata(RawKafkaConnection connection) {
    try {
      return (MetadataResponse)
          connection.send(
              new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of()))
                  .build((short) 12));
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Test
  void theConsumeApiWorksWhenEveryListenerRequiresSaslSsl() throws Exception {
    String topic = "secure-consume";
    try (KafkaProducer<String, String> producer = Clients.producer(bootstrap(), alice())) {
      for (int i = 0; i < 5; i++) {
        producer
            .send(new ProducerRecord<>(topic, 0, "k", "{\"n\":" + i + "}"))
            .get(30, TimeUnit.SECONDS);
      }
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(broker.httpBase() + "/consume"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"topic\":\""
                                + topic
                                + "\",\"group_id\":\"secure-http\",\"max_messages\":5,\"timeout\":20}"))
                    .header("Content-Type", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("count").asInt()).isEqualTo(5);
    assertThat(body.get("messages").get(4).get("value").get("n").asInt()).isEqualTo(4);

    try (Admin admin = SecureListenersTest.admin(bootstrap(), alice())) {
      assertThat(
              admin
                  .listConsumerGroupOffsets("secure-http")
                  .partitionsToOffsetAndMetadata()
                  .get(30, TimeUnit.SECONDS)
                  .values())
          .singleElement()
          .satisfies(offset -> assertThat(offset.offset()).isEqualTo(5));
    }
  }

  @Test
  void theInternalListenerIsNeitherAdvertisedNorOpenToConfiguredUsers() throws Exception {
    int internalPort = broker.coordinator().port(InternalListener.NAME);
    assertThat(internalPort).isNotEqualTo(broker.coordinator().port("SASL_SSL"));
    try (Admin admin = SecureListenersTest.admin(bootstrap(), alice())) {
      Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
      assertThat(nodes)
          .singleElement()
          .satisfies(
              node -> assertThat(node.port()).isEqualTo(broker.coordinator().port("SASL_SSL")));
    }

    // A configured user's credential does not open it.
    Map<String, Object> onInternal = alice();
    onInternal.put("security.protocol", "SASL_PLAINTEXT");
    SecureListenersTest.assertFailsFast(
        "127.0.0.1:" + internalPort, onInternal, SaslAuthenticationException.class);

    // Nor does skipping authentication: the first other request closes the connection.
    try (RawKafkaConnection connection = RawKafkaConnection.plain("127.0.0.1", internalPort)) {
      assertThat(metadata(connection)).isNull();
    }
  }

  static double clientMetric(Map<MetricName, ? extends Metric> metrics, String name) {
    return metrics.entrySet().stream()
        .filter(
            e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  static double brokerCounter(String name, String listener) throws Exception {
    String metrics = HttpText.get(broker.httpBase() + "/metrics");
    Matcher matcher =
        Pattern.compile(
                "^" + name + "\\{[^}]*listener=\"" + listener + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    double total = 0;
    while (matcher.find()) {
      total += Double.parseDouble(matcher.group(1));
    }
    return total;
  }
}
