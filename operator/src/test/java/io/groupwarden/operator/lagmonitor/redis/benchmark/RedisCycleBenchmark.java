package io.groupwarden.operator.lagmonitor.redis.benchmark;

import io.groupwarden.operator.benchmark.SelfMeasures;
import io.groupwarden.operator.lagmonitor.redis.RedisEndpoints;
import io.groupwarden.operator.lagmonitor.redis.RedisStreamsCollector;
import io.groupwarden.operator.lagmonitor.redis.RedisStreamsCollector.Collection;
import io.groupwarden.testkit.RedisServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One LagMonitor evaluation cycle over 1,000 Redis streams with 3 consumer groups each on one local
 * redis-server: the pipelined collector against the same reads issued one command at a time, in the
 * same run. Prints time per cycle and round trips.
 */
public final class RedisCycleBenchmark {
  private static final int STREAMS = 1_000;
  private static final List<String> GROUPS = List.of("billing", "audit", "search");
  private static final int WARMUP = 5;
  private static final int MEASURED = 20;

  public static void main(String[] args) throws Exception {
    try (RedisServer server = RedisServer.create().start();
        RedisEndpoints endpoints = new RedisEndpoints(Duration.ofSeconds(30))) {
      RedisClient client = RedisClient.create(server.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        List<String> streams = populate(connection);
        RedisStreamsCollector collector = new RedisStreamsCollector(Duration.ofSeconds(30));

        long[] pipelined = new long[MEASURED];
        int roundTrips = 0;
        int sources = 0;
        for (int i = 0; i < WARMUP + MEASURED; i++) {
          long start = System.nanoTime();
          Collection collection =
              collector.collect(endpoints.acquire("bench", server.uri()), streams, GROUPS);
          long elapsed = System.nanoTime() - start;
          if (i >= WARMUP) {
            pipelined[i - WARMUP] = elapsed;
          }
          roundTrips = collection.roundTrips();
          sources = collection.lags().size();
        }

        long[] naive = new long[MEASURED];
        int naiveRoundTrips = 0;
        RedisCommands<String, String> sync = connection.sync();
        for (int i = 0; i < WARMUP + MEASURED; i++) {
          long start = System.nanoTime();
          int trips = 0;
          for (String stream : streams) {
            sync.xinfoGroups(stream);
            trips++;
            for (String group : GROUPS) {
              sync.xinfoConsumers(stream, group);
              trips++;
            }
          }
          long elapsed = System.nanoTime() - start;
          if (i >= WARMUP) {
            naive[i - WARMUP] = elapsed;
          }
          naiveRoundTrips = trips;
        }

        double p = millis(pipelined, 0.5);
        double n = millis(naive, 0.5);
        System.out.printf(
            Locale.ROOT,
            "streams=%d groups/stream=%d sources=%d cycles=%d (after %d warm-up)%n",
            STREAMS,
            GROUPS.size(),
            sources,
            MEASURED,
            WARMUP);
        System.out.printf(
            Locale.ROOT,
            "pipelined: median %.1f ms, p90 %.1f ms, %d round trips, %d commands%n",
            p,
            millis(pipelined, 0.9),
            roundTrips,
            STREAMS * (1 + GROUPS.size()));
        System.out.printf(
            Locale.ROOT,
            "one at a time: median %.1f ms, p90 %.1f ms, %d round trips%n",
            n,
            millis(naive, 0.9),
            naiveRoundTrips);
        System.out.printf(Locale.ROOT, "speed-up: %.1fx%n", n / p);
      } finally {
        client.shutdown();
      }
    }
  }

  /** 1,000 streams of 50 entries; each group has read a different share, so lags differ. */
  private static List<String> populate(StatefulRedisConnection<String, String> connection)
      throws Exception {
    RedisAsyncCommands<String, String> async = connection.async();
    List<String> streams = new ArrayList<>();
    List<io.lettuce.core.RedisFuture<?>> pending = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      String stream = "bench-" + s;
      streams.add(stream);
      for (String group : GROUPS) {
        pending.add(
            async.xgroupCreate(
                StreamOffset.from(stream, "0-0"), group, XGroupCreateArgs.Builder.mkstream()));
      }
      for (int e = 0; e < 50; e++) {
        pending.add(async.xadd(stream, Map.of("n", String.valueOf(e))));
      }
      for (int g = 0; g < GROUPS.size(); g++) {
        pending.add(
            async.xreadgroup(
                Consumer.from(GROUPS.get(g), "c" + g),
                XReadArgs.Builder.count(10L * (g + 1)),
                StreamOffset.lastConsumed(stream)));
      }
    }
    for (var future : pending) {
      future.get(30, TimeUnit.SECONDS);
    }
    return streams;
  }

  /** The percentile of durations in nanoseconds, in milliseconds. */
  private static double millis(long[] nanos, double q) {
    return SelfMeasures.percentile(nanos, q) / 1e6;
  }
}
