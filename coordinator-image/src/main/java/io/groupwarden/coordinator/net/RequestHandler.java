package io.groupwarden.coordinator.net;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.requests.AbstractResponse;

/** Answers requests. A future completed with {@code null} means: send no response (acks=0). */
@FunctionalInterface
public interface RequestHandler {
  CompletableFuture<AbstractResponse> handle(ClientRequest request);
}
