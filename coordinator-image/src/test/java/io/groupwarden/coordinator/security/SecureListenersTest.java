package io.groupwarden.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.HttpText;
import io.groupwarden.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kafka-clients over the broker's SSL and SASL_SSL listeners, with TLS material made by
 * BouncyCastle: each SASL mechanism, mutual TLS, failures that end one connection fast while others
 * are served, users managed with the Admin client, and certificate rotation.
 */
class SecureListenersTest {
  static final String ALICE_PASSWORD = "alice-secret-7f3a";
  static final String ADMIN_PASSWORD = "admin-secret-91bc";

  @TempDir static Path dir;

  @RegisterExtension
  static final CoordinatorPerClass broker =
      CoordinatorPerClass.withTls("test-ca", SecureListenersTest::settings);

  static Map<String, String> settings(BrokerTls tls, Path dir) throws IOException {
    Path users =
        Files.writeString(
            dir.resolve("users"), "alice:" + ALICE_PASSWORD + "\nadmin:" + ADMIN_PASSWORD + "\n");
    Map<String, String> settings = new HashMap<>();
    settings.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,SASL_SSL://127.0.0.1:0");
    settings.put("tls-ca", tls.ca().caFile().toString());
    settings.put("tls-client-auth", "requested");
    settings.put("tls-reload-check-interval", "200ms");
    settings.put("sasl-mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN");
    settings.put("sasl-users", users.toString());
    settings.put("super-users", "admin");
    return settings;
  }

  static String bootstrap(String listener) {
    return "127.0.0.1:" + broker.coordinator().port(listener);
  }

  static Map<String, Object> tls() {
    return broker.tls().sslClient();
  }

  static Map<String, Object> sasl(String mechanism, String user, String password) {
    return broker.tls().saslClient(mechanism, user, password);
  }

  static Admin admin(String bootstrap, Map<String, Object> props) {
    Properties all = new Properties();
    all.put("bootstrap.servers", bootstrap);
    all.put("default.api.timeout.ms", 15_000);
    all.put("request.timeout.ms", 10_000);
    all.putAll(props);
    return Admin.create(all);
  }

  /** Produces and consumes one record on a fresh topic with these client settings. */
  static void roundTrip(String bootstrap, Map<String, Object> props, String topic)
      throws Exception {
    try (Admin admin = admin(bootstrap, props)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> producer = Clients.producer(bootstrap, props)) {
      producer.send(new ProducerRecord<>(topic, "k", "v-" + topic)).get(30, TimeUnit.SECONDS);
    }
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(bootstrap, "group-" + topic, props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          assertThat(records.iterator().next().value()).isEqualTo("v-" + topic);
          consumer.commitSync();
          return;
        }
      }
      throw new AssertionError("nothing consumed from " + topic);
    }
  }

  @Test
  void producerConsumerAndAdminOverSsl() throws Exception {
    roundTrip(bootstrap("SSL"), tls(), "over-ssl");
  }

  @Test
  void saslSslWithEachMechanism() throws Exception {
    for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")) {
      roundTrip(
          bootstrap("SASL_SSL"),
          sasl(mechanism, "alice", ALICE_PASSWORD),
          "over-" + mechanism.toLowerCase());
    }
  }

  @Test
  void mutualTlsWithAClientCertificate() throws Exception {
    TestCertificates.Issued client = broker.tls().ca().issue(dir.resolve("client"), "client-app");
    Map<String, Object> props = tls();
    props.put("ssl.keystore.type", "PEM");
    props.put("ssl.keystore.certificate.chain", Files.readString(client.certificate()));
    props.put("ssl.keystore.key", Files.readString(client.privateKey()));
    roundTrip(bootstrap("SSL"), props, "over-mtls");
  }

  @Test
  void anExpiredClientCertificateFailsFastAndOthersAreServed() throws Exception {
    Instant past = Instant.now().minus(Duration.ofDays(10));
    TestCertificates.Issued expired =
        broker
            .tls()
            .ca()
            .issue(dir.resolve("expired"), "expired-app", past, past.plus(Duration.ofDays(1)));
    Map<String, Object> props = tls();
    props.put("ssl.keystore.type", "PEM");
    props.put("ssl.keystore.certificate.chain", Files.readString(expired.certificate()));
    props.put("ssl.keystore.key", Files.readString(expired.privateKey()));
    assertFailsFast(bootstrap("SSL"), props, SslAuthenticationException.class);
    roundTrip(bootstrap("SSL"), tls(), "after-expired");
  }

  @Test
  void aWrongPasswordAndAnUnknownUserFailFastWithTheirError() throws Exception {
    assertFailsFast(
        bootstrap("SASL_SSL"),
        sasl("SCRAM-SHA-512", "alice", "not-her-password"),
        SaslAuthenticationException.class);
    assertFailsFast(
        bootstrap("SASL_SSL"),
        sasl("PLAIN", "alice", "not-her-password"),
        SaslAuthenticationException.class);
    assertFailsFast(
        bootstrap("SASL_SSL"),
        sasl("SCRAM-SHA-256", "mallory", "whatever"),
        SaslAuthenticationException.class);
    roundTrip(
        bootstrap("SASL_SSL"), sasl("SCRAM-SHA-512", "alice", ALICE_PASSWORD), "after-bad-auth");
    String metrics = get("/metrics");
    assertThat(metrics)
        .contains(
            "coordinator_authentication_failures_total{listener=\"SASL_SSL\",mechanism=\"SCRAM-SHA-512\"}")
        .contains("mechanism=\"PLAIN\"")
        .doesNotContain(ALICE_PASSWORD)
        .doesNotContain("not-her-password");
  }

  @Test
  void aPlaintextClientOnTheTlsPortIsClosedAtOnce() throws Exception {
    for (String listener : List.of("SSL", "SASL_SSL")) {
      try (Socket socket = new Socket("127.0.0.1", broker.coordinator().port(listener))) {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        ByteBuffer request =
            new ApiVersionsRequest.Builder()
                .build((short) 3)
                .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "p", 1));
        out.write(ByteBuffer.allocate(4).putInt(request.remaining()).array());
        out.write(request.array(), request.arrayOffset(), request.remaining());
        out.flush();
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        while (in.read() != -1) {
          // a TLS alert may come first; then the end of the stream
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      }
    }
    // a TLS client on the plaintext port is closed at once too (its ClientHello reads as an
    // oversized frame), and the broker serves plaintext afterwards
    long start = System.nanoTime();
    try (SSLSocket socket =
        (SSLSocket)
            trustingCa()
                .getSocketFactory()
                .createSocket("127.0.0.1", broker.coordinator().port("PLAINTEXT"))) {
      socket.setSoTimeout(5_000);
      assertThatThrownBy(socket::startHandshake).isInstanceOf(java.io.IOException.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    roundTrip(bootstrap("PLAINTEXT"), Map.of(), "after-wrong-protocol");
  }

  @Test
  void aRequestBeforeAuthenticationClosesTheConnection() throws Exception {
    SSLContext context = trustingCa();
    try (SSLSocket socket =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket("127.0.0.1", broker.coordinator().port("SASL_SSL"))) {
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      ByteBuffer request =
          new org.apache.kafka.common.requests.MetadataRequest.Builder(
                  new org.apache.kafka.common.message.MetadataRequestData().setTopics(null))
              .build((short) 12)
              .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "early", 1));
      OutputStream out = socket.getOutputStream();
      out.write(ByteBuffer.allocate(4).putInt(request.remaining()).array());
      out.write(request.array(), request.arrayOffset(), request.remaining());
      out.flush();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void usersAddedAndDeletedWithTheAdminClientApplyAtOnce() throws Exception {
    String bootstrap = bootstrap("SASL_SSL");
    try (Admin admin = admin(bootstrap, sasl("SCRAM-SHA-512", "admin", ADMIN_PASSWORD))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      "carol",
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      "c-pass")))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS))
          .containsKeys("alice", "admin", "carol");
      roundTrip(bootstrap, sasl("SCRAM-SHA-512", "carol", "c-pass"), "as-carol");

      admin
          .alterUserScramCredentials(
              List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512)))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertFailsFast(
          bootstrap, sasl("SCRAM-SHA-512", "carol", "c-pass"), SaslAuthenticationException.class);
    }
    // only super users may change credentials
    try (Admin alice = admin(bootstrap, sasl("SCRAM-SHA-512", "alice", ALICE_PASSWORD))) {
      assertThatThrownBy(
              () ->
                  alice
                      .alterUserScramCredentials(
                          List.of(
                              new UserScramCredentialUpsertion(
                                  "eve",
                                  new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                                  "e")))
                      .all()
                      .get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(org.apache.kafka.common.errors.ClusterAuthorizationException.class);
    }
    assertThat(Files.readString(broker.dataDir().resolve("users.json")))
        .doesNotContain(ALICE_PASSWORD)
        .doesNotContain("c-pass");
  }

  @Test
  void aRotatedCertificateServesNewConnections() throws Exception {
    java.math.BigInteger before = servedSerial();
    assertThat(before).isEqualTo(broker.tls().server().x509().getSerialNumber());
    TestCertificates.Issued next = broker.tls().ca().issue(dir.resolve("next"), "broker");
    Files.copy(
        next.privateKey(),
        broker.tls().server().privateKey(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        next.certificate(),
        broker.tls().server().certificate(),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> next.x509().getSerialNumber().equals(servedSerial()));
    roundTrip(bootstrap("SSL"), tls(), "after-rotation");
  }

  static java.math.BigInteger servedSerial() throws Exception {
    try (SSLSocket socket =
        (SSLSocket)
            trustingCa()
                .getSocketFactory()
                .createSocket("127.0.0.1", broker.coordinator().port("SSL"))) {
      socket.startHandshake();
      return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSerialNumber();
    }
  }

  static SSLContext trustingCa() {
    return broker.tls().ca().trustingContext();
  }

  static String get(String path) throws Exception {
    return HttpText.get(broker.httpBase() + path);
  }

  /** The Admin client's first call fails with {@code error} well before its timeout. */
  static void assertFailsFast(
      String bootstrap, Map<String, Object> props, Class<? extends Throwable> error) {
    long start = System.nanoTime();
    try (Admin admin = admin(bootstrap, props)) {
      assertThatThrownBy(() -> admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(error);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
