package io.groupwarden.operator.lagmonitor.redis;

import io.groupwarden.operator.common.Futures;
import io.groupwarden.operator.lagmonitor.redis.StreamGroupLag.ConsumerInfo;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Reads the lag of consumer groups on Redis streams, pipelined: one flush sends XINFO GROUPS for
 * every stream, a second sends XINFO CONSUMERS for every group (and the exact-lag fallbacks), so a
 * cycle costs two round trips however many streams there are.
 *
 * <p>Lag is Redis's own {@code lag} field. When Redis reports none (it cannot after entries were
 * deleted between the group's position and the end, or on servers before 7.0) the lag is counted
 * exactly where that is cheap: all entries when the group never read ({@code XLEN}), or the entries
 * after the last delivered id when there are at most {@value #EXACT_COUNT_LIMIT} of them. Otherwise
 * it is reported unknown, never 0.
 */
public record RedisStreamsCollector(Duration timeout) {
  static final int EXACT_COUNT_LIMIT = 10_000;
  private static final String NEVER_READ = "0-0";

  /**
   * The result of one collection.
   *
   * @param lags one entry per stream and group
   * @param streams what XINFO STREAM told of each stream that exists, by key
   * @param roundTrips how many times commands were flushed and awaited
   */
  public record Collection(
      List<StreamGroupLag> lags, Map<String, StreamInfo> streams, int roundTrips) {
    public Collection {
      streams = Map.copyOf(streams);
    }
  }

  /**
   * Collects the lag of {@code groups} (every group when empty) on {@code streams}. Never throws:
   * an unreachable server gives each stream an entry with lag -1 and the error.
   */
  public Collection collect(RedisEndpoint endpoint, List<String> streams, List<String> groups) {
    endpoint.lock().lock();
    try {
      StatefulRedisConnection<String, String> connection = endpoint.connection();
      connection.setAutoFlushCommands(false);
      try {
        return read(connection, streams, groups);
      } finally {
        connection.setAutoFlushCommands(true);
      }
    } catch (RuntimeException e) {
      String error = describe(e);
      List<StreamGroupLag> lags = new ArrayList<>();
      for (String stream : streams) {
        if (groups.isEmpty()) {
          lags.add(StreamGroupLag.unreachable(stream, "", error));
        } else {
          groups.forEach(group -> lags.add(StreamGroupLag.unreachable(stream, group, error)));
        }
      }
      return new Collection(lags, Map.of(), 0);
    } finally {
      endpoint.lock().unlock();
    }
  }

  private Collection read(
      StatefulRedisConnection<String, String> connection,
      List<String> streams,
      List<String> groups) {
    RedisAsyncCommands<String, String> redis = connection.async();
    Map<String, RedisFuture<List<Object>>> groupInfos = new LinkedHashMap<>();
    Map<String, RedisFuture<List<Object>>> streamInfos = new LinkedHashMap<>();
    for (String stream : streams) {
      groupInfos.put(stream, redis.xinfoGroups(stream));
      streamInfos.put(stream, redis.xinfoStream(stream));
    }
    connection.flushCommands();
    int roundTrips = 1;

    List<Pending> pending = new ArrayList<>();
    List<StreamGroupLag> done = new ArrayList<>();
    for (var entry : groupInfos.entrySet()) {
      String stream = entry.getKey();
      List<Object> reply;
      try {
        reply = await(entry.getValue());
      } catch (ExecutionException e) {
        String message = String.valueOf(e.getCause().getMessage());
        if (message.contains("no such key")) {
          if (groups.isEmpty()) {
            done.add(StreamGroupLag.absent(stream, "", "the stream does not exist"));
          } else {
            groups.forEach(
                g -> done.add(StreamGroupLag.absent(stream, g, "the stream does not exist")));
          }
          continue;
        }
        if (message.startsWith("WRONGTYPE")) {
          String error = "the key is not a stream";
          if (groups.isEmpty()) {
            done.add(new StreamGroupLag(stream, "", null, 0, null, null, List.of(), null, error));
          } else {
            groups.forEach(
                g ->
                    done.add(
                        new StreamGroupLag(
                            stream, g, null, 0, null, null, List.of(), null, error)));
          }
          continue;
        }
        throw new IllegalStateException(describe(e.getCause()), e.getCause());
      }
      Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
      for (Object group : reply) {
        Map<String, Object> fields = fields(group);
        byName.put(String.valueOf(fields.get("name")), fields);
      }
      List<String> wanted = groups.isEmpty() ? new ArrayList<>(byName.keySet()) : groups;
      for (String group : wanted) {
        Map<String, Object> info = byName.get(group);
        if (info == null) {
          done.add(StreamGroupLag.absent(stream, group, "the group does not exist on the stream"));
          continue;
        }
        pending.add(Pending.of(redis, stream, group, info));
      }
    }
    if (!pending.isEmpty()) {
      connection.flushCommands();
      roundTrips++;
    }
    for (Pending p : pending) {
      done.add(p.result(this));
    }
    return new Collection(done, streamInfos(streamInfos), roundTrips);
  }

  /** The streams whose XINFO STREAM answered; a missing key or another type is left out. */
  private Map<String, StreamInfo> streamInfos(Map<String, RedisFuture<List<Object>>> replies) {
    Map<String, StreamInfo> infos = new LinkedHashMap<>();
    for (var entry : replies.entrySet()) {
      try {
        Map<String, Object> fields = fields(await(entry.getValue()));
        Object entriesAdded = fields.get("entries-added");
        infos.put(
            entry.getKey(),
            new StreamInfo(
                entry.getKey(),
                number(fields.get("length")),
                fields.get("last-generated-id") == null
                    ? null
                    : String.valueOf(fields.get("last-generated-id")),
                entryId(fields.get("first-entry")),
                entryId(fields.get("last-entry")),
                entriesAdded == null ? null : number(entriesAdded),
                (int) number(fields.get("groups"))));
      } catch (ExecutionException | RuntimeException e) {
        // no such key or not a stream: the groups' entries already say so
      }
    }
    return infos;
  }

  /** The id of an entry as XINFO STREAM gives it ({@code [id, [field, value, ...]]}), or null. */
  private static String entryId(Object entry) {
    if (entry instanceof List<?> parts && !parts.isEmpty() && parts.get(0) != null) {
      return String.valueOf(parts.get(0));
    }
    return null;
  }

  /** A group whose consumers (and maybe exact lag) were requested in the second flush. */
  private record Pending(
      String stream,
      String group,
      Map<String, Object> info,
      RedisFuture<List<Object>> consumers,
      RedisFuture<Long> length,
      RedisFuture<List<StreamMessage<String, String>>> after) {
    static Pending of(
        RedisAsyncCommands<String, String> redis,
        String stream,
        String group,
        Map<String, Object> info) {
      RedisFuture<Long> length = null;
      RedisFuture<List<StreamMessage<String, String>>> after = null;
      if (info.get("lag") == null) {
        String lastDelivered = String.valueOf(info.get("last-delivered-id"));
        if (NEVER_READ.equals(lastDelivered)) {
          length = redis.xlen(stream);
        } else {
          after =
              redis.xrange(
                  stream,
                  Range.from(Range.Boundary.excluding(lastDelivered), Range.Boundary.unbounded()),
                  Limit.from(EXACT_COUNT_LIMIT + 1));
        }
      }
      return new Pending(stream, group, info, redis.xinfoConsumers(stream, group), length, after);
    }

    StreamGroupLag result(RedisStreamsCollector collector) {
      try {
        List<ConsumerInfo> consumerList = new ArrayList<>();
        for (Object consumer : collector.await(consumers)) {
          Map<String, Object> fields = fields(consumer);
          consumerList.add(
              new ConsumerInfo(
                  String.valueOf(fields.get("name")),
                  number(fields.get("pending")),
                  number(fields.get("idle"))));
        }
        Long lag = info.get("lag") == null ? null : number(info.get("lag"));
        String note = null;
        if (lag == null && length != null) {
          lag = collector.await(length);
          note = "Redis reported no lag; counted every entry (the group never read)";
        } else if (lag == null && after != null) {
          int count = collector.await(after).size();
          if (count <= EXACT_COUNT_LIMIT) {
            lag = (long) count;
            note = "Redis reported no lag; counted the entries after the last delivered id";
          } else {
            note =
                "Redis reported no lag and more than "
                    + EXACT_COUNT_LIMIT
                    + " entries follow the last delivered id: lag unknown";
          }
        }
        Object entriesRead = info.get("entries-read");
        return new StreamGroupLag(
            stream,
            group,
            lag,
            number(info.get("pending")),
            String.valueOf(info.get("last-delivered-id")),
            entriesRead == null ? null : number(entriesRead),
            consumerList,
            note,
            null);
      } catch (ExecutionException e) {
        return StreamGroupLag.unreachable(stream, group, describe(e.getCause()));
      }
    }
  }

  private <T> T await(RedisFuture<T> future) throws ExecutionException {
    return Futures.get(future, timeout, IllegalStateException::new);
  }

  /** XINFO replies are flat key/value lists; lettuce does not type them. */
  private static Map<String, Object> fields(Object reply) {
    Map<String, Object> fields = new HashMap<>();
    if (reply instanceof List<?> list) {
      for (int i = 0; i + 1 < list.size(); i += 2) {
        fields.put(String.valueOf(list.get(i)), list.get(i + 1));
      }
    }
    return fields;
  }

  private static long number(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    return value == null ? 0 : Long.parseLong(String.valueOf(value));
  }

  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
