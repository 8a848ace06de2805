package io.groupwarden.coordinator.net;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A parsed request and where it came from.
 *
 * @param listener the name of the listener it arrived on ({@code PLAINTEXT}, {@code SASL_SSL}, ...)
 * @param principal the authenticated SASL user or TLS certificate subject; {@code ANONYMOUS}
 */
public record ClientRequest(
    RequestHeader header,
    AbstractRequest body,
    String clientHost,
    String listener,
    String principal) {
  public ClientRequest(RequestHeader header, AbstractRequest body, String clientHost) {
    this(header, body, clientHost, "PLAINTEXT", "ANONYMOUS");
  }

  public ApiKeys apiKey() {
    return header.apiKey();
  }

  public short version() {
    return header.apiVersion();
  }

  public String clientId() {
    return header.clientId() == null ? "" : header.clientId();
  }

  @SuppressWarnings("unchecked")
  public <T extends AbstractRequest> T body(Class<T> type) {
    return (T) body;
  }
}
