package io.groupwarden.operator.lag;

import io.groupwarden.common.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lag reads shared by every resource that watches groups on the same Kafka cluster: one collection
 * reads the groups of all of them with the collector's handful of batched admin calls, and each
 * resource takes its own groups from it. The admin round trips per cycle therefore stay the same
 * however many groups and resources a cluster has, where reading per resource would cost a full set
 * of calls for each.
 *
 * <p>A request says how recent the answer must be ({@link LagRequest#notBefore()}). The last
 * collection serves it when it is recent enough and covered the request's groups; otherwise the
 * request waits for the next collection, which covers every group asked for lately. Requests that
 * arrive while a collection runs are served together by the one after it, so a burst of reconciles
 * costs a few collections, not one each. A cluster keeps reading a group for three of its
 * requester's intervals after the last request, then forgets it.
 *
 * <p>A request for groups that the cluster's collections do not read yet (a resource just created,
 * or one whose groups changed) does not wait for the next collection of every group: a first read
 * of only the new groups answers it, shared likewise by the new requests that arrive meanwhile, and
 * the next collection covers them from then on. A new resource therefore gets its first answer in
 * the time of a small read, however many groups the cluster's collections hold, and the steady
 * cycle's calls do not change.
 *
 * <p>A collection that fails answers everyone waiting for it with the failure, and serves it to
 * later requests as recent as it, so that an unreachable cluster costs one timeout per round, not
 * one per resource.
 */
public final class SharedLagReads implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedLagReads.class);

  /** The shortest time a cluster keeps reading a group after it was last asked for. */
  private static final Duration MIN_INTEREST = Duration.ofMinutes(1);

  /** First reads kept to serve their groups until a collection covers them. */
  private static final int MAX_FIRST_READS = 16;

  private final KafkaLagCollector collector;
  private final Clock clock;
  private final Duration waitLimit;
  private final Map<KafkaConnection, ClusterReads> clusters = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private final AtomicLong collections = new AtomicLong();
  private final AtomicLong firstReads = new AtomicLong();

  /**
   * @param timeout how long one admin request may take; a request waits at most a few of them
   */
  public SharedLagReads(KafkaLagCollector collector, Clock clock, Duration timeout) {
    this.collector = collector;
    this.clock = clock;
    // a collection makes up to eight admin calls in a row, each bounded by the timeout
    this.waitLimit = timeout.multipliedBy(10);
    this.executor = Executors.newCachedThreadPool(DaemonThreads.numbered("groupwarden-lag-reads"));
  }

  /**
   * What one resource asks for.
   *
   * @param selector its groups and topics
   * @param retention whether it needs the topics' retention limits and partition sizes
   * @param notBefore the oldest collection time it accepts
   * @param interval how often it asks
   */
  public record LagRequest(
      GroupSelector selector, boolean retention, Instant notBefore, Duration interval) {}

  /**
   * The request's groups, as read by a collection at or after {@code request.notBefore()}; waits
   * for one when the last does not serve.
   *
   * @param admin the cluster's admin client, as the caller acquired it from the pool
   * @throws KafkaUnavailableException when the collection could not read the cluster
   * @throws org.apache.kafka.common.KafkaException when the cluster refused a read
   */
  public LagSnapshot read(KafkaConnection connection, Admin admin, LagRequest request) {
    return clusters
        .computeIfAbsent(connection, c -> new ClusterReads(c.toString()))
        .read(admin, request);
  }

  /**
   * How many collections have run on all clusters, first reads of new groups included, for tests
   * and benchmarks.
   */
  public long collections() {
    return collections.get();
  }

  /** How many of the {@link #collections()} were first reads of new groups only. */
  public long firstReads() {
    return firstReads.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** What a collection covers: the groups and patterns asked for, and whether retention. */
  private record Plan(Set<String> groups, Map<String, Pattern> patterns, boolean retention) {
    /** Whether a collection of this plan read everything {@code other} did. */
    boolean covers(Plan other) {
      return (retention || !other.retention)
          && groups.containsAll(other.groups)
          && patterns.keySet().containsAll(other.patterns.keySet());
    }

    boolean covers(LagRequest request) {
      if (request.retention() && !retention) {
        return false;
      }
      GroupSelector selector = request.selector();
      return selector.byPattern()
          ? patterns.containsKey(selector.pattern().pattern())
          : groups.containsAll(selector.groups());
    }
  }

  /** A finished collection: its snapshot of every planned group, or why it failed. */
  private record Reading(
      Plan plan, Instant time, ClusterSnapshot snapshot, RuntimeException failure) {
    boolean serves(LagRequest request) {
      return !time.isBefore(request.notBefore()) && (failure != null || plan.covers(request));
    }

    /** Serves a request of groups it read; a failed first read serves only those who waited. */
    boolean servesFirst(LagRequest request) {
      return failure == null && !time.isBefore(request.notBefore()) && plan.covers(request);
    }

    LagSnapshot answer(GroupSelector selector) {
      if (failure != null) {
        throw failure;
      }
      return snapshot.slice(selector);
    }
  }

  /** The reads of one cluster: who asks for what, and the collections. */
  private final class ClusterReads {
    private final String name;
    private final Map<String, Instant> groups = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();
    private final Map<String, Instant> patternInterest = new HashMap<>();
    private Instant retentionUntil = Instant.MIN;
    private Admin admin;
    private Reading latest;
    private Plan runningPlan;
    private CompletableFuture<Reading> running;
    private CompletableFuture<Reading> next;
    // first reads of groups the collections do not cover yet
    private final Deque<Reading> firsts = new ArrayDeque<>();
    private final Set<String> firstGroups = new LinkedHashSet<>();
    private final Map<String, Pattern> firstPatterns = new HashMap<>();
    private boolean firstRetention;
    private Plan firstRunningPlan;
    private CompletableFuture<Reading> firstRunning;
    private CompletableFuture<Reading> firstNext;

    ClusterReads(String name) {
      this.name = name;
    }

    LagSnapshot read(Admin admin, LagRequest request) {
      CompletableFuture<Reading> awaited;
      synchronized (this) {
        this.admin = admin;
        register(request);
        if (latest != null && latest.serves(request)) {
          return latest.answer(request.selector());
        }
        for (Reading first : firsts) {
          if (first.servesFirst(request)) {
            return first.answer(request.selector());
          }
        }
        if (running != null && runningPlan.covers(request)) {
          awaited = running; // its time is taken when it ends, so after notBefore too
        } else if (isNew(request)) {
          awaited = firstRead(request);
        } else {
          if (next == null) {
            next = new CompletableFuture<>();
          }
          awaited = next;
          if (running == null) {
            startNext();
          }
        }
      }
      return await(awaited).answer(request.selector());
    }

    /**
     * Whether the request is for groups that the last collection, a healthy one, did not read: a
     * first read of them answers sooner than the next collection of every group. Holds the lock.
     */
    private boolean isNew(LagRequest request) {
      return latest != null && latest.failure() == null && !latest.plan().covers(request);
    }

    /** Joins the request to the first read under way or the one queued after it. Holds the lock. */
    private CompletableFuture<Reading> firstRead(LagRequest request) {
      if (firstRunning != null && firstRunningPlan.covers(request)) {
        return firstRunning;
      }
      GroupSelector selector = request.selector();
      if (selector.byPattern()) {
        firstPatterns.put(selector.pattern().pattern(), selector.pattern());
      } else {
        firstGroups.addAll(selector.groups());
      }
      firstRetention |= request.retention();
      if (firstNext == null) {
        firstNext = new CompletableFuture<>();
      }
      CompletableFuture<Reading> awaited = firstNext;
      if (firstRunning == null) {
        startFirstRead();
      }
      return awaited;
    }

    /** Starts the queued first read. Holds the lock. */
    private void startFirstRead() {
      Plan plan = new Plan(Set.copyOf(firstGroups), Map.copyOf(firstPatterns), firstRetention);
      CompletableFuture<Reading> done = firstNext;
      Admin client = admin;
      firstGroups.clear();
      firstPatterns.clear();
      firstRetention = false;
      firstNext = null;
      firstRunning = done;
      firstRunningPlan = plan;
      try {
        executor.execute(
            () -> {
              firstReads.incrementAndGet();
              finishFirst(collect(client, plan), done);
            });
      } catch (RuntimeException e) { // closed
        finishFirst(
            new Reading(plan, clock.instant(), null, new KafkaUnavailableException("stopped", e)),
            done);
      }
    }

    private void finishFirst(Reading reading, CompletableFuture<Reading> done) {
      synchronized (this) {
        firsts.addLast(reading);
        while (firsts.size() > MAX_FIRST_READS) {
          firsts.removeFirst();
        }
        firstRunning = null;
        firstRunningPlan = null;
        if (firstNext != null) {
          startFirstRead();
        }
      }
      done.complete(reading);
    }

    private void register(LagRequest request) {
      Instant now = clock.instant();
      Duration keep = request.interval().multipliedBy(3);
      Instant until = now.plus(keep.compareTo(MIN_INTEREST) > 0 ? keep : MIN_INTEREST);
      GroupSelector selector = request.selector();
      if (selector.byPattern()) {
        String regex = selector.pattern().pattern();
        patterns.put(regex, selector.pattern());
        patternInterest.merge(regex, until, SharedLagReads::later);
      } else {
        selector.groups().forEach(id -> groups.merge(id, until, SharedLagReads::later));
      }
      if (request.retention()) {
        retentionUntil = later(retentionUntil, until);
      }
    }

    /** Starts the queued collection with every group still of interest. Holds the lock. */
    private void startNext() {
      Instant now = clock.instant();
      groups.values().removeIf(until -> until.isBefore(now));
      patternInterest.values().removeIf(until -> until.isBefore(now));
      patterns.keySet().retainAll(patternInterest.keySet());
      Plan plan =
          new Plan(
              Set.copyOf(groups.keySet()), Map.copyOf(patterns), !retentionUntil.isBefore(now));
      CompletableFuture<Reading> done = next;
      Admin client = admin;
      next = null;
      running = done;
      runningPlan = plan;
      try {
        executor.execute(() -> finish(collect(client, plan), done));
      } catch (RuntimeException e) { // closed
        finish(new Reading(plan, now, null, new KafkaUnavailableException("stopped", e)), done);
      }
    }

    private Reading collect(Admin client, Plan plan) {
      collections.incrementAndGet();
      try {
        LagSnapshot snapshot =
            collector.collectAll(
                client,
                new LinkedHashSet<>(plan.groups()),
                plan.patterns().values(),
                plan.retention());
        return new Reading(plan, snapshot.time(), new ClusterSnapshot(snapshot), null);
      } catch (RuntimeException e) {
        LOG.debug("Collection of {} failed: {}", name, e.toString());
        return new Reading(plan, clock.instant(), null, e);
      }
    }

    private void finish(Reading reading, CompletableFuture<Reading> done) {
      synchronized (this) {
        latest = reading;
        if (reading.failure() == null) {
          // what the first reads read, this collection read later
          firsts.removeIf(first -> reading.plan().covers(first.plan()));
        }
        running = null;
        runningPlan = null;
        if (next != null) {
          startNext();
        }
      }
      done.complete(reading);
    }

    private Reading await(CompletableFuture<Reading> future) {
      try {
        return future.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new KafkaUnavailableException(
            "no collection of " + name + " within " + waitLimit.toSeconds() + "s", e);
      } catch (ExecutionException e) {
        throw new KafkaUnavailableException(String.valueOf(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaUnavailableException("interrupted", e);
      }
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
