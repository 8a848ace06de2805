package io.groupwarden.sink.config;

import java.util.HashMap;
import java.util.Map;

/** Worker environments for tests: what a worker cannot start without, and what a test adds. */
public final class SinkEnvironments {
  private SinkEnvironments() {}

  /**
   * Topic {@code orders} read from {@code bootstrapServers} by group {@code orders-sink} into
   * collection {@code orders} at {@code mongoUri}; then {@code pairs}.
   */
  public static Map<String, String> ordersSink(
      String bootstrapServers, String mongoUri, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SINK_BOOTSTRAP_SERVERS", bootstrapServers);
    env.put("SINK_TOPIC", "orders");
    env.put("SINK_GROUP_ID", "orders-sink");
    env.put("SINK_MONGODB_URI", mongoUri);
    env.put("SINK_MONGODB_COLLECTION", "orders");
    return with(env, pairs);
  }

  /** {@link #ordersSink} as worker {@code orders-sink-0}, writing batches of {@code batchSize}. */
  public static Map<String, String> firstWorker(
      String bootstrapServers, String mongoUri, int batchSize) {
    return ordersSink(
        bootstrapServers,
        mongoUri,
        "SINK_INSTANCE_ID",
        "orders-sink-0",
        "SINK_BATCH_SIZE",
        String.valueOf(batchSize));
  }

  /** {@code env} with {@code pairs} (name, value, name, value, …) put into it. */
  public static Map<String, String> with(Map<String, String> env, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
