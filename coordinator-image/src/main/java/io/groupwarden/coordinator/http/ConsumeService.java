package io.groupwarden.coordinator.http;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.http.CountedWarnings;
import io.groupwarden.http.HttpError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers behind {@code POST /consume}: one per (group, topic), at most {@code maxInstances}
 * of them, driven by a pool of as many threads. A timer closes a consumer that no request has used
 * for the idle timeout — it leaves its group, its threads and connections end — without waiting for
 * another request. A request for a new (group, topic) when every consumer is busy is answered 503
 * at once; an idle consumer is closed to make room.
 */
final class ConsumeService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeService.class);

  /**
   * @param maxInstances the most consumers open at once, and the threads that drive them
   * @param idleTimeout how long an unused consumer stays open
   */
  record Settings(int maxInstances, Duration idleTimeout) {}

  private final Settings settings;
  private final Function<ConsumeSession.Key, Consumer<byte[], byte[]>> consumers;
  private final LongSupplier clock;
  private final Map<ConsumeSession.Key, ConsumeSession> sessions = new HashMap<>();
  private int closing;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong closedIdle = new AtomicLong();
  private final CountedWarnings warnings =
      new CountedWarnings("coordinator HTTP consume", LOG::warn);

  ConsumeService(
      Settings settings,
      Function<ConsumeSession.Key, Consumer<byte[], byte[]>> consumers,
      LongSupplier clock) {
    this.settings = settings;
    this.consumers = consumers;
    this.clock = clock;
    long keepAliveMs = Math.max(100, Math.min(settings.idleTimeout().toMillis(), 10_000));
    // At most one round per consumer is ever queued, so the queue is bounded by maxInstances.
    this.pool =
        new ThreadPoolExecutor(
            settings.maxInstances(),
            settings.maxInstances(),
            keepAliveMs,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.numbered("http-consume"));
    this.pool.allowCoreThreadTimeOut(true);
    this.timer = DaemonThreads.scheduled("http-consume-timer");
    long sweep = Math.max(50, Math.min(settings.idleTimeout().toMillis() / 4, 5_000));
    timer.scheduleWithFixedDelay(this::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    timer.scheduleAtFixedRate(() -> warnings.report("1m"), 1, 1, TimeUnit.MINUTES);
  }

  /** Real consumers of this broker, configured for the HTTP consume API. */
  static Function<ConsumeSession.Key, Consumer<byte[], byte[]>> kafkaConsumers(
      Map<String, Object> kafkaClient, Duration idleTimeout) {
    return key -> {
      Properties props = new Properties();
      props.putAll(kafkaClient);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, key.groupId());
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "http-consume");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // what transactions committed, never what they aborted or have not finished
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      // What one consumer may hold in fetched records: a few MB, not Kafka's default 50 MB.
      props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(4 << 20));
      // An idle consumer is not polled until it is closed; it must not be expelled before that.
      props.put(
          ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
          String.valueOf(Math.max(300_000, 2 * idleTimeout.toMillis())));
      return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    };
  }

  /**
   * Queues the request on its (group, topic) consumer, opening one if there is room. Consumers
   * being closed still count, so threads and connections stay within the bound; when none is free,
   * the one unused the longest is closed here, by this request, to make room.
   */
  CompletableFuture<ConsumeResult> consume(ConsumeRequest request) {
    ConsumeSession.Key key = new ConsumeSession.Key(request.groupId(), request.topic());
    for (int attempt = 0; attempt < 3; attempt++) {
      ConsumeSession victim;
      synchronized (this) {
        ConsumeSession session = sessions.get(key);
        if (session == null && sessions.size() + closing < settings.maxInstances()) {
          session = new ConsumeSession(key, consumers, pool, clock);
          sessions.put(key, session);
        }
        if (session != null) {
          return session.enqueue(request).answer;
        }
        victim = unusedLongest();
        if (victim == null) {
          break;
        }
        sessions.remove(victim.key());
        closing++;
      }
      try {
        victim.closeConsumer();
      } finally {
        synchronized (this) {
          closing--;
        }
      }
    }
    refused.incrementAndGet();
    warnings.count(
        "requests answered 503 because " + settings.maxInstances() + " consumers were busy");
    return CompletableFuture.failedFuture(
        HttpError.unavailable(
            "all "
                + settings.maxInstances()
                + " HTTP consumers are busy with other groups; retry later"));
  }

  /** The consumer unused the longest, now closed to requests; null if every one is in use. */
  private ConsumeSession unusedLongest() {
    List<ConsumeSession> byAge = new ArrayList<>(sessions.values());
    byAge.sort(Comparator.comparingLong(ConsumeSession::idleSinceMs));
    for (ConsumeSession candidate : byAge) {
      if (candidate.closeIfUnused()) {
        return candidate;
      }
    }
    return null;
  }

  /** Closes every consumer unused for the idle timeout; runs on the timer. */
  void closeIdle() {
    List<ConsumeSession> idle = new ArrayList<>();
    long now = clock.getAsLong();
    synchronized (this) {
      long limit = settings.idleTimeout().toMillis();
      sessions
          .values()
          .removeIf(
              s -> {
                boolean expired = now - s.idleSinceMs() >= limit && s.closeIfUnused();
                if (expired) {
                  idle.add(s);
                }
                return expired;
              });
      closing += idle.size();
    }
    for (ConsumeSession session : idle) {
      try {
        session.closeConsumer();
        closedIdle.incrementAndGet();
      } finally {
        synchronized (this) {
          closing--;
        }
      }
    }
    if (!idle.isEmpty()) {
      LOG.debug("closed {} idle HTTP consumers", idle.size());
    }
  }

  /** Consumers open now, those being closed included. */
  synchronized int instances() {
    return sessions.size() + closing;
  }

  /** Requests refused because every consumer was busy. */
  long refusedRequests() {
    return refused.get();
  }

  /** Consumers closed by the idle timer. */
  long closedIdle() {
    return closedIdle.get();
  }

  /** Threads driving consumers now (they end when idle). */
  int threads() {
    return pool.getPoolSize();
  }

  @Override
  public void close() {
    List<ConsumeSession> all;
    synchronized (this) {
      all = new ArrayList<>(sessions.values());
      sessions.clear();
    }
    timer.shutdownNow();
    all.forEach(ConsumeSession::stop);
    DaemonThreads.stop(pool);
    all.forEach(ConsumeSession::closeConsumer);
  }
}
