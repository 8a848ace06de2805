package io.groupwarden.coordinator.config;

import io.groupwarden.coordinator.net.Listener;
import io.groupwarden.coordinator.net.sasl.SaslAuthenticator;
import io.groupwarden.coordinator.net.tls.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The broker's checked security settings.
 *
 * @param tls where the certificate and key are, or null when no listener (nor HTTP) uses TLS
 * @param saslMechanisms the mechanisms SASL listeners offer
 * @param saslUsers the {@code name:password} file to seed users from, or null
 * @param superUsers who may describe and alter SCRAM credentials
 * @param httpTls whether the HTTP port serves TLS
 * @param httpToken the bearer token HTTP requests must carry, or null for none
 */
public record Security(
    TlsSettings tls,
    List<String> saslMechanisms,
    Path saslUsers,
    Set<String> superUsers,
    Duration connectionsMaxReauth,
    Duration failedAuthenticationDelay,
    boolean httpTls,
    String httpToken) {

  @Override
  public String toString() {
    // never the token
    return "Security[tls=" + tls + ", sasl=" + saslMechanisms + ", httpTls=" + httpTls + "]";
  }

  public static Security check(SecurityOptions options, List<Listener> listeners, Checks checks) {
    boolean tlsUsed = options.httpTls || listeners.stream().anyMatch(Listener::tls);
    TlsSettings tls = null;
    if (tlsUsed) {
      if (options.tlsCert == null) {
        throw checks.fail(
            "--tls-cert", "unset", "is needed by an SSL or SASL_SSL listener or --http-tls");
      }
      if (options.tlsKey == null) {
        throw checks.fail("--tls-key", "unset", "is needed with --tls-cert");
      }
      readable(checks, "--tls-cert", options.tlsCert);
      readable(checks, "--tls-key", options.tlsKey);
      if (options.tlsCa != null) {
        readable(checks, "--tls-ca", options.tlsCa);
      }
      if (options.tlsClientAuth != TlsSettings.ClientAuth.NONE && options.tlsCa == null) {
        throw checks.fail(
            "--tls-client-auth",
            options.tlsClientAuth,
            "needs --tls-ca to check certificates with");
      }
      checks.positive("--tls-reload-check-interval", options.tlsReloadCheckInterval);
      tls =
          new TlsSettings(
              options.tlsCert,
              options.tlsKey,
              options.tlsCa,
              options.tlsClientAuth,
              options.tlsReloadCheckInterval);
    }
    for (String mechanism : options.saslMechanisms) {
      if (!SaslAuthenticator.SUPPORTED.contains(mechanism)) {
        throw checks.fail(
            "--sasl-mechanisms", mechanism, "must be one of " + SaslAuthenticator.SUPPORTED);
      }
    }
    if (options.saslUsers != null) {
      readable(checks, "--sasl-users", options.saslUsers);
    }
    String token = options.httpToken;
    if (options.httpTokenFile != null) {
      readable(checks, "--http-token-file", options.httpTokenFile);
      try {
        token = Files.readString(options.httpTokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw checks.fail("--http-token-file", options.httpTokenFile, "must be readable");
      }
    }
    if (token != null && token.isBlank()) {
      throw checks.fail("--http-token", "an empty token", "must not be empty");
    }
    return new Security(
        tls,
        List.copyOf(options.saslMechanisms),
        options.saslUsers,
        Set.copyOf(options.superUsers),
        options.connectionsMaxReauth,
        options.failedAuthenticationDelay,
        options.httpTls,
        token);
  }

  private static void readable(Checks checks, String flag, Path file) {
    if (!Files.isReadable(file)) {
      throw checks.fail(flag, file, "must be a readable file");
    }
  }
}
