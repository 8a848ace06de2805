package io.groupwarden.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * Loads the heavy libraries (Kafka's protocol schemas, Jackson, Netty's allocator) on a second
 * thread while the main thread opens the data directory, so start-up takes the longer of the two
 * rather than their sum.
 */
final class ClassWarmUp {
  private ClassWarmUp() {}

  static void start() {
    Thread thread =
        new Thread(
            () -> {
              ApiKeys.values();
              ApiVersionsResponse.toApiVersion(ApiKeys.FETCH);
              new ObjectMapper().createObjectNode();
              PooledByteBufAllocator.DEFAULT.buffer(16).release();
            },
            "class-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}
