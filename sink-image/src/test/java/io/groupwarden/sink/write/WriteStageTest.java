package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.config.OnStoreOutage;
import io.groupwarden.sink.document.DocumentMapper;
import io.groupwarden.sink.fakes.DirectExecutor;
import io.groupwarden.sink.fakes.FakeDocumentStore;
import io.groupwarden.sink.fakes.MutableClock;
import io.groupwarden.sink.kafka.DeadLetter;
import io.groupwarden.sink.kafka.DeadLetterSender;
import io.groupwarden.sink.kafka.InboundMessage;
import io.groupwarden.sink.metrics.SinkMetrics;
import io.groupwarden.sink.store.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

class WriteStageTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeDocumentStore store = new FakeDocumentStore();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final DocumentMapper mapper = new DocumentMapper();

  private WriteStage stage(ExecutorService writer) {
    return stage(store, writer);
  }

  private WriteStage stage(DocumentStore store, ExecutorService writer) {
    SinkMetrics metrics = new SinkMetrics();
    return new WriteStage(
        store,
        new DeadLetterSender(producer, "orders.dlq", "w-0", metrics),
        new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(4)),
        OnStoreOutage.PAUSE,
        metrics,
        clock,
        writer);
  }

  private InboundMessage message(long offset, String value) {
    byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    return new InboundMessage(
        "orders",
        0,
        offset,
        null,
        bytes,
        new RecordHeaders(),
        mapper.map("orders", 0, offset, bytes, 0));
  }

  private List<InboundMessage> messages(int count) {
    List<InboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(message(i, "{\"n\":" + i + "}"));
    }
    return messages;
  }

  /** Drives the batch the way the loop does until it is resolved or must wait. */
  private static List<InboundMessage> drive(WriteStage stage) {
    while (stage.collect(true)) {
      List<InboundMessage> resolved = stage.completeIfDone();
      if (resolved != null) {
        return resolved;
      }
      if (!stage.attemptIfDue()) {
        return null;
      }
    }
    return null;
  }

  @Test
  void resolvesTheWholeBatchInReadingOrderWithBadValuesDeadLettered() {
    WriteStage stage = stage(new DirectExecutor());
    List<InboundMessage> batch = new ArrayList<>(messages(3));
    batch.add(1, message(99, "{oops"));
    store.refuse(new BsonString("orders:0:2"));

    stage.start(batch);
    List<InboundMessage> resolved = drive(stage);
    for (int i = 0; i < 5 && resolved == null; i++) {
      clock.advance(Duration.ofSeconds(4)); // the refused document is retried alone first
      resolved = drive(stage);
    }

    assertThat(resolved).extracting(InboundMessage::offset).containsExactly(0L, 99L, 1L, 2L);
    assertThat(store.documents()).hasSize(2);
    assertThat(producer.history())
        .extracting(r -> new String(r.headers().lastHeader(DeadLetter.REASON).value()))
        .containsExactly("INVALID_JSON", "STORE_REJECTED");
    assertThat(stage.hasBatch()).isFalse();
  }

  @Test
  void waitsWithBackoffWhileTheStoreIsDownAndSaysSo() {
    WriteStage stage = stage(new DirectExecutor());
    store.down();
    stage.start(messages(5));

    assertThat(drive(stage)).isNull();
    assertThat(stage.waitingToRetry()).isTrue();
    assertThat(stage.storeOutage()).isTrue();
    assertThat(stage.waitingTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(drive(stage)).as("not before the backoff is over").isNull();
    assertThat(store.insertSizes()).hasSize(1);

    store.up();
    clock.advance(Duration.ofSeconds(1));
    assertThat(drive(stage)).hasSize(5);
    assertThat(stage.storeOutage()).isFalse();
  }

  @Test
  void theInsertRunsOnTheWriterThreadWhileTheCallerGoesOn() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FakeDocumentStore slow =
        new FakeDocumentStore() {
          @Override
          public synchronized io.groupwarden.sink.write.InsertResult insert(
              List<BsonDocument> documents) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.insert(documents);
          }
        };
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (WriteStage stage = stage(slow, writer)) {
      stage.start(messages(4));
      assertThat(stage.attemptIfDue()).isTrue();

      assertThat(stage.writing()).isTrue();
      assertThat(stage.collect(false)).as("the insert is still on its way").isFalse();
      assertThat(stage.completeIfDone()).isNull();

      release.countDown();
      assertThat(drive(stage)).hasSize(4);
      assertThat(slow.documents()).hasSize(4);
    }
  }

  @Test
  void discardsTheMessagesOfARevokedPartition() {
    WriteStage stage = stage(new DirectExecutor());
    store.down();
    stage.start(messages(3));
    drive(stage);

    stage.discard(Set.of(new TopicPartition("orders", 0)));

    assertThat(stage.completeIfDone()).as("nothing of it is left to write").isEmpty();
    assertThat(producer.history()).isEmpty();
  }
}
