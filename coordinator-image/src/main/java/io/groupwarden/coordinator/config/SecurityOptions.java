package io.groupwarden.coordinator.config;

import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.coordinator.net.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Listeners, TLS, SASL and the HTTP port's protection: the flags of the broker's edge. */
public final class SecurityOptions {
  @Option(
      names = "--listeners",
      paramLabel = "LISTENERS",
      description =
          "Kafka listeners in Kafka's syntax, e.g. PLAINTEXT://127.0.0.1:9092,SASL_SSL://0.0.0.0:9093"
              + " (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL); default: PLAINTEXT://<--host>:<--port>")
  @EnvVar(CoordinatorEnv.LISTENERS)
  String listeners;

  @Option(
      names = "--advertised-listeners",
      paramLabel = "LISTENERS",
      description =
          "addresses clients are told to use, per listener, same syntax; a listener left out is"
              + " advertised as --advertised-host and its bound port")
  @EnvVar(CoordinatorEnv.ADVERTISED_LISTENERS)
  String advertisedListeners;

  /** The --listeners value, or null when the --port shorthand is used. */
  public String listeners() {
    return listeners;
  }

  public String advertisedListeners() {
    return advertisedListeners;
  }

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "PEM certificate chain of the SSL and SASL_SSL listeners (and HTTP with --http-tls)")
  @EnvVar(CoordinatorEnv.TLS_CERT)
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "PEM (PKCS#8, unencrypted) private key of --tls-cert")
  @EnvVar(CoordinatorEnv.TLS_KEY)
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "PEM CA certificates that client certificates must chain to (mutual TLS)")
  @EnvVar(CoordinatorEnv.TLS_CA)
  Path tlsCa;

  @Option(
      names = "--tls-client-auth",
      paramLabel = "none|requested|required",
      defaultValue = "none",
      description = "whether clients present certificates (Kafka's ssl.client.auth)")
  @EnvVar(CoordinatorEnv.TLS_CLIENT_AUTH)
  TlsSettings.ClientAuth tlsClientAuth;

  @Option(
      names = "--tls-reload-check-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "how often the TLS files are compared with what is loaded; changes apply to new"
              + " connections")
  @EnvVar(CoordinatorEnv.TLS_RELOAD_CHECK_INTERVAL)
  Duration tlsReloadCheckInterval;

  @Option(
      names = "--sasl-mechanisms",
      paramLabel = "LIST",
      split = ",",
      defaultValue = "SCRAM-SHA-512,SCRAM-SHA-256",
      description =
          "SASL mechanisms offered: SCRAM-SHA-512, SCRAM-SHA-256, PLAIN"
              + " (Kafka's sasl.enabled.mechanisms)")
  @EnvVar(CoordinatorEnv.SASL_MECHANISMS)
  List<String> saslMechanisms;

  @Option(
      names = "--sasl-users",
      paramLabel = "FILE",
      description =
          "users to create or reset at start, one name:password a line; stored salted in"
              + " the data directory")
  @EnvVar(CoordinatorEnv.SASL_USERS)
  Path saslUsers;

  @Option(
      names = "--super-users",
      paramLabel = "LIST",
      split = ",",
      description =
          "users who may describe and change SCRAM credentials (Kafka's super.users,"
              + " without the User: prefix)")
  @EnvVar(CoordinatorEnv.SUPER_USERS)
  List<String> superUsers = List.of();

  @Option(
      names = "--connections-max-reauth",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "how long a SASL authentication holds before the client must re-authenticate"
              + " (connections.max.reauth.ms, KIP-368); 0s: for the connection's life")
  @EnvVar(CoordinatorEnv.CONNECTIONS_MAX_REAUTH)
  Duration connectionsMaxReauth;

  @Option(
      names = "--failed-authentication-delay",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      description =
          "wait before closing a connection whose authentication failed"
              + " (connection.failed.authentication.delay.ms)")
  @EnvVar(CoordinatorEnv.FAILED_AUTHENTICATION_DELAY)
  Duration failedAuthenticationDelay;

  @Option(
      names = "--http-tls",
      paramLabel = "true|false",
      arity = "1",
      defaultValue = "false",
      description = "serve the HTTP port over TLS with --tls-cert and --tls-key")
  @EnvVar(CoordinatorEnv.HTTP_TLS)
  boolean httpTls;

  @Option(
      names = "--http-token",
      paramLabel = "TOKEN",
      description =
          "bearer token every HTTP request but /health must carry; prefer --http-token-file")
  @EnvVar(CoordinatorEnv.HTTP_TOKEN)
  String httpToken;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      description = "file holding the HTTP bearer token (e.g. a mounted Secret)")
  @EnvVar(CoordinatorEnv.HTTP_TOKEN_FILE)
  Path httpTokenFile;
}
