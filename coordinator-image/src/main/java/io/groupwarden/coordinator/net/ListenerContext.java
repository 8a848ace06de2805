package io.groupwarden.coordinator.net;

import io.groupwarden.coordinator.net.sasl.SaslAuthenticator;
import io.groupwarden.coordinator.net.tls.ReloadingSslContext;

/**
 * What every connection of one listener shares.
 *
 * @param tls the TLS context of an SSL or SASL_SSL listener, else null
 * @param sasl the authenticator of a SASL listener, else null
 */
public record ListenerContext(
    Listener listener,
    RequestHandler handler,
    SupportedApis supported,
    ConnectionLimits limits,
    RequestMemory memory,
    ReloadingSslContext tls,
    SaslAuthenticator sasl,
    EdgeMetrics metrics) {}
