package io.groupwarden.operator.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Lettuce connection to a real redis-server, with the steps the stream tests share: a consumer
 * group reading a stream from its start, and entries appended to a stream.
 */
public final class RedisStreams implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private RedisStreams(RedisClient client, StatefulRedisConnection<String, String> connection) {
    this.client = client;
    this.connection = connection;
  }

  /** Connects to the server at {@code uri}. */
  public static RedisStreams connect(String uri) {
    RedisClient client = RedisClient.create(uri);
    try {
      return new RedisStreams(client, client.connect());
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /** Runs {@code setup} over a connection of its own to {@code uri}, closed afterwards. */
  public static void on(String uri, Consumer<RedisStreams> setup) {
    try (RedisStreams streams = connect(uri)) {
      setup.accept(streams);
    }
  }

  public RedisCommands<String, String> commands() {
    return connection.sync();
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  /** A consumer group reading {@code stream} from its start, creating the stream if need be. */
  public void createGroup(String stream, String group) {
    commands()
        .xgroupCreate(StreamOffset.from(stream, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
  }

  /** Appends {@code count} entries to {@code stream}; returns the id of the last. */
  public String add(String stream, int count) {
    String last = null;
    for (int i = 0; i < count; i++) {
      last = commands().xadd(stream, Map.of("n", String.valueOf(i)));
    }
    return last;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      client.shutdown();
    }
  }
}
