package io.groupwarden.coordinator.net;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/** A parsed request and where it came from. */
public record ClientRequest(RequestHeader header, AbstractRequest body, String clientHost) {
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
