package io.groupwarden.e2e;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of this machine on loopback, without persistence, with a stream that gains entries
 * faster than its consumer group reads them: the Redis side of the local runner.
 */
final class LocalRedis implements AutoCloseable {
  static final String STREAM = "demo-events";
  static final String GROUP = "demo-readers";

  private final Process process;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final int port;

  private LocalRedis(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client = RedisClient.create("redis://127.0.0.1:" + port);
    this.connection = client.connect();
  }

  /** The redis-server on the PATH, or null when there is none. */
  static Path findServer() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (candidate.toFile().canExecute()) {
        return candidate;
      }
    }
    return null;
  }

  static LocalRedis start(Path server, Path dir) throws IOException, InterruptedException {
    int port = LocalProcesses.freePort();
    Process process =
        new ProcessBuilder(
                server.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        break;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("redis-server did not start; see " + dir.resolve("redis.log"));
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    LocalRedis redis = new LocalRedis(process, port);
    var commands = redis.connection.sync();
    commands.xadd(STREAM, Map.of("event", "0"));
    commands.xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from(STREAM, "0-0"), GROUP);
    return redis;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Adds events; the group reads only some, so its lag grows and shrinks. */
  void tick(long n) {
    var commands = connection.sync();
    for (int i = 0; i < 5; i++) {
      commands.xadd(STREAM, Map.of("event", String.valueOf(n * 5 + i)));
    }
    commands.xreadgroup(
        io.lettuce.core.Consumer.from(GROUP, "reader-1"),
        io.lettuce.core.XReadArgs.Builder.count(n % 2 == 0 ? 8 : 2),
        io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(STREAM));
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    process.destroy();
    LocalProcesses.awaitExit(process, Duration.ofSeconds(10));
  }
}
