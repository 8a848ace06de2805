package io.groupwarden.coordinator.api;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.log.AbortedTxn;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.SliceRead;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.AbortedTransaction;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Fetch, with long polling: when less than {@code min_bytes} is available the request waits, up to
 * {@code max_wait_ms}, for any of its partitions to grow. Fetch sessions are not kept (session id 0
 * in every response), so clients send full fetch requests. With {@code isolation_level}
 * read_committed a partition is read up to its last stable offset, with the aborted transactions
 * among the records returned, so the consumer can drop their records.
 *
 * <p>Records are not read here: the response carries {@link
 * io.groupwarden.coordinator.log.SegmentSlice segment slices}, and the connection sends their bytes
 * from the files.
 */
public final class FetchApi implements AutoCloseable {
  private final TopicStore topics;
  private final ScheduledExecutorService waits = DaemonThreads.scheduled("fetch-waits");

  public FetchApi(TopicStore topics) {
    this.topics = topics;
  }

  private record Wanted(
      FetchTopic topic, FetchPartition partition, PartitionLog log, Errors error) {}

  /**
   * A read of every partition. Its records are segment slices that hold their files open: either
   * the response takes them (the connection releases them once sent) or {@link #discard} does.
   */
  private record Outcome(FetchResponseData data, int bytes, boolean failed, List<SliceRead> reads) {
    void discard() {
      reads.forEach(SliceRead::release);
    }
  }

  /** What one fetch asks for, beyond its partitions. */
  private record Limits(int maxBytes, int minBytes, boolean byId, boolean readCommitted) {}

  public CompletableFuture<AbstractResponse> fetch(ClientRequest request) {
    FetchRequestData data = request.body(FetchRequest.class).data();
    boolean byId = request.version() >= 13;
    List<Wanted> wanted = new ArrayList<>();
    for (FetchTopic requested : data.topics()) {
      Topic topic = byId ? topics.get(requested.topicId()) : topics.get(requested.topic());
      for (FetchPartition partition : requested.partitions()) {
        PartitionLog log = topic == null ? null : topic.partition(partition.partition());
        Errors error =
            log != null
                ? Errors.NONE
                : topic == null && byId
                    ? Errors.UNKNOWN_TOPIC_ID
                    : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        wanted.add(new Wanted(requested, partition, log, error));
      }
    }
    Limits limits =
        new Limits(
            data.maxBytes(),
            data.minBytes(),
            byId,
            data.isolationLevel() == IsolationLevel.READ_COMMITTED.id());
    Outcome outcome = read(wanted, limits);
    if (data.maxWaitMs() <= 0
        || outcome.bytes() >= data.minBytes()
        || outcome.failed()
        || wanted.isEmpty()) {
      return CompletableFuture.completedFuture(FetchResponse.of(outcome.data()));
    }
    outcome.discard();
    PendingFetch pending = new PendingFetch(wanted, limits);
    pending.start(data.maxWaitMs());
    return pending.future;
  }

  private Outcome read(List<Wanted> wanted, Limits limits) {
    FetchResponseData response = new FetchResponseData().setSessionId(0);
    Map<FetchTopic, FetchableTopicResponse> byTopic = new LinkedHashMap<>();
    int remaining = limits.maxBytes();
    boolean byId = limits.byId();
    int total = 0;
    boolean failed = false;
    List<SliceRead> reads = new ArrayList<>();
    for (Wanted w : wanted) {
      FetchableTopicResponse topicResponse =
          byTopic.computeIfAbsent(
              w.topic(),
              t -> {
                FetchableTopicResponse r = new FetchableTopicResponse();
                if (byId) {
                  r.setTopicId(t.topicId());
                } else {
                  r.setTopic(t.topic()).setTopicId(Uuid.ZERO_UUID);
                }
                response.responses().add(r);
                return r;
              });
      PartitionData partition =
          new PartitionData()
              .setPartitionIndex(w.partition().partition())
              .setHighWatermark(FetchResponse.INVALID_HIGH_WATERMARK)
              .setLastStableOffset(FetchResponse.INVALID_LAST_STABLE_OFFSET)
              .setLogStartOffset(FetchResponse.INVALID_LOG_START_OFFSET)
              .setRecords(MemoryRecords.EMPTY);
      if (w.error() != Errors.NONE) {
        partition.setErrorCode(w.error().code());
        failed = true;
      } else {
        int limit = Math.max(0, Math.min(w.partition().partitionMaxBytes(), remaining));
        SliceRead result =
            w.log()
                .readSlice(w.partition().fetchOffset(), limit, total == 0, limits.readCommitted());
        reads.add(result);
        partition
            .setErrorCode(result.error().code())
            .setHighWatermark(result.highWatermark())
            .setLastStableOffset(result.lastStableOffset())
            .setLogStartOffset(result.logStartOffset())
            .setAbortedTransactions(abortedTransactions(result.abortedTransactions()))
            .setRecords(result.records());
        int size = result.records().sizeInBytes();
        total += size;
        remaining -= size;
        failed |= result.error() != Errors.NONE;
      }
      topicResponse.partitions().add(partition);
    }
    return new Outcome(response, total, failed, reads);
  }

  /** Null for read_uncommitted, as Kafka answers; the aborted transactions otherwise. */
  private static List<AbortedTransaction> abortedTransactions(List<AbortedTxn> aborted) {
    if (aborted == null) {
      return null;
    }
    List<AbortedTransaction> list = new ArrayList<>(aborted.size());
    for (AbortedTxn txn : aborted) {
      list.add(
          new AbortedTransaction()
              .setProducerId(txn.producerId())
              .setFirstOffset(txn.firstOffset()));
    }
    return list;
  }

  /** A fetch parked until data arrives or its wait is over. */
  private final class PendingFetch {
    final CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
    final List<Wanted> wanted;
    final Limits limits;
    final AtomicBoolean done = new AtomicBoolean();
    final Runnable listener = () -> waits.execute(this::check);
    ScheduledFuture<?> timeout;

    PendingFetch(List<Wanted> wanted, Limits limits) {
      this.wanted = wanted;
      this.limits = limits;
    }

    void start(int maxWaitMs) {
      wanted.forEach(w -> w.log().addListener(listener));
      timeout =
          waits.schedule(() -> finish(read(wanted, limits)), maxWaitMs, TimeUnit.MILLISECONDS);
      // Data may have arrived between the first read and registering the listeners.
      waits.execute(this::check);
    }

    void check() {
      if (done.get()) {
        return;
      }
      boolean grew = false;
      for (Wanted w : wanted) {
        long readable =
            limits.readCommitted() ? w.log().lastStableOffset() : w.log().highWatermark();
        grew |= readable > w.partition().fetchOffset();
      }
      if (!grew) {
        return;
      }
      Outcome outcome = read(wanted, limits);
      if (outcome.bytes() >= limits.minBytes() || outcome.failed()) {
        finish(outcome);
      } else {
        outcome.discard();
      }
    }

    void finish(Outcome outcome) {
      if (!done.compareAndSet(false, true)) {
        outcome.discard();
        return;
      }
      wanted.forEach(w -> w.log().removeListener(listener));
      if (timeout != null) {
        timeout.cancel(false);
      }
      future.complete(FetchResponse.of(outcome.data()));
    }
  }

  @Override
  public void close() {
    waits.shutdownNow();
  }
}
