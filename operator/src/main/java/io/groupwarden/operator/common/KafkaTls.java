package io.groupwarden.operator.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * TLS to a Kafka cluster.
 *
 * @param caCertificate PEM CA certificate(s) to trust; the JVM's trust store when absent
 * @param clientCertificate PEM client certificate for mutual TLS
 * @param clientKey PEM private key for mutual TLS (unencrypted PKCS#8)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KafkaTls(
    @JsonPropertyDescription(
            "Secret key holding PEM CA certificates to trust. Without it the JVM's default trust"
                + " store is used.")
        SecretKeyRef caCertificate,
    @JsonPropertyDescription("Secret key holding a PEM client certificate, for mutual TLS.")
        SecretKeyRef clientCertificate,
    @JsonPropertyDescription(
            "Secret key holding the PEM private key (PKCS#8) of the client certificate.")
        SecretKeyRef clientKey) {}
