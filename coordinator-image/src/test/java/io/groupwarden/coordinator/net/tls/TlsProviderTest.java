package io.groupwarden.coordinator.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.groupwarden.coordinator.support.BrokerTls;
import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.RawKafkaConnection;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS runs on BoringSSL (netty-tcnative) where its native library loads, here Linux x86-64, and on
 * the JDK's TLS when it does not; both serve clients.
 */
class TlsProviderTest {
  @TempDir Path dir;

  static boolean linuxX8664() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  @Test
  void openSslServesTlsOnLinuxX8664() throws Exception {
    assumeTrue(linuxX8664(), "the bundled BoringSSL is built for Linux x86-64");
    assertThat(OpenSsl.isAvailable()).as(String.valueOf(OpenSsl.unavailabilityCause())).isTrue();
    TestCertificates ca = TestCertificates.newCa(dir, "provider-ca");
    TestCertificates.Issued server = ca.issue(dir, "broker");
    try (ReloadingSslContext context =
        ReloadingSslContext.start(
            new TlsSettings(
                server.certificate(),
                server.privateKey(),
                null,
                TlsSettings.ClientAuth.NONE,
                Duration.ofMinutes(1)))) {
      assertThat(context.providerInUse()).isEqualTo(SslProvider.OPENSSL);
      SslHandler handler = context.newHandler(ByteBufAllocator.DEFAULT);
      assertThat(handler.engine().getClass().getName()).contains("OpenSsl");
    }
  }

  @Test
  void theJdkServesTlsWhenOpenSslIsUnavailable() throws Exception {
    BrokerTls tls = BrokerTls.issue(dir.resolve("tls"), "fallback-ca");
    int tlsPort = FreePort.pick();
    try (ChildBroker broker =
        new ChildBroker(dir.resolve("data"))
            .withJvmOptions(List.of("-Dio.netty.handler.ssl.noOpenSsl=true"))
            .withArguments(List.of("--listeners", "SSL://127.0.0.1:" + tlsPort))
            .withArguments(tls.brokerFlags())
            .startOn(tlsPort)) {
      try (RawKafkaConnection connection = RawKafkaConnection.tls("127.0.0.1", tlsPort, tls.ca())) {
        ApiVersionsResponse response =
            (ApiVersionsResponse)
                connection.send(new ApiVersionsRequest.Builder().build((short) 3));
        assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
      }
      assertThat(Files.readString(broker.log(), StandardCharsets.UTF_8))
          .contains("TLS from " + tls.server().certificate() + " (JDK)");
    }
  }
}
