package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.SegmentFiles;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.RawKafkaConnection;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data path with real clients: fetched record bytes leave from the segment files (and every
 * file a response held is let go once it is sent or its connection dropped), and compressed batches
 * are stored and served exactly as the producer compressed them.
 */
class ZeroCopyFetchTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  static SegmentFiles files() {
    return broker.coordinator().topics().files();
  }

  static PartitionLog log(String topic) {
    return broker.coordinator().topics().get(topic).partition(0);
  }

  static List<String> produce(String topic, String compression, int count) throws Exception {
    List<String> values = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        Clients.producer(
            broker.bootstrapServers(),
            Map.of("compression.type", compression, "batch.size", 64 * 1024, "linger.ms", 20))) {
      for (int i = 0; i < count; i++) {
        String value = i + ":" + "payload-".repeat(120); // about 1 KiB, and compressible
        values.add(value);
        producer.send(new ProducerRecord<>(topic, "k" + i, value));
      }
      producer.flush();
    }
    return values;
  }

  static List<String> consume(String topic, String isolation, int count) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(
            broker.bootstrapServers(),
            topic + "-" + isolation,
            Map.of("isolation.level", isolation, "max.partition.fetch.bytes", 256 * 1024))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 60_000;
      while (values.size() < count && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }

  /** The batches in the partition's segment files, read from disk here. */
  static List<MutableRecordBatch> storedBatches(String topic) throws Exception {
    List<MutableRecordBatch> batches = new ArrayList<>();
    List<Path> segments;
    try (Stream<Path> listed = Files.list(log(topic).directory())) {
      segments = listed.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    for (Path segment : segments) {
      MemoryRecords records =
          MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(segment)));
      for (MutableRecordBatch batch : records.batches()) {
        batch.ensureValid();
        batches.add(batch);
      }
    }
    return batches;
  }

  @Test
  void consumersReadEveryRecordAndNoSegmentFileStaysHeld() throws Exception {
    List<String> sent = produce("zero-copy-plain", "none", 3000);
    assertThat(consume("zero-copy-plain", "read_uncommitted", 3000)).isEqualTo(sent);
    assertThat(consume("zero-copy-plain", "read_committed", 3000)).isEqualTo(sent);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(files().inUse()).as("files held").isZero());
  }

  @Test
  void lz4AndZstdBatchesFromKafkaClientsAreStoredAndServedAsCompressed() throws Exception {
    for (String codec : List.of("lz4", "zstd")) {
      String topic = "zero-copy-" + codec;
      List<String> sent = produce(topic, codec, 2000);
      assertThat(consume(topic, "read_uncommitted", 2000)).as(codec).isEqualTo(sent);

      List<MutableRecordBatch> stored = storedBatches(topic);
      assertThat(stored).as(codec).isNotEmpty();
      assertThat(stored)
          .as("every stored batch keeps the producer's codec in its attributes")
          .allSatisfy(b -> assertThat(b.compressionType().name).isEqualTo(codec));
      long bytes = stored.stream().mapToLong(MutableRecordBatch::sizeInBytes).sum();
      assertThat(bytes).as(codec + ": stored compressed").isLessThan(2000L * 1000 / 4);
      // What a fetch serves is those bytes: the same batches, still compressed.
      PartitionLog.ReadResult served = log(topic).read(0, 1 << 20, true);
      assertThat(served.records().batches().iterator().next().compressionType())
          .isEqualTo(CompressionType.forName(codec));
    }
  }

  @Test
  void aCompressedBatchIsStoredByteForByteAsSentButForItsOffsetAndLeaderEpoch() throws Exception {
    broker.createTopic("zero-copy-raw", 1);
    for (Compression compression : List.of(Compression.lz4().build(), Compression.zstd().build())) {
      SimpleRecord[] records = new SimpleRecord[50];
      for (int i = 0; i < records.length; i++) {
        records[i] = new SimpleRecord(1000L + i, ("k" + i).getBytes(), "v".repeat(500).getBytes());
      }
      MemoryRecords batch = MemoryRecords.withRecords(compression, records);
      byte[] sent = Arrays.copyOf(batch.buffer().array(), batch.sizeInBytes());
      long offset = log("zero-copy-raw").logEndOffset();

      ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
      data.topicData()
          .add(
              new ProduceRequestData.TopicProduceData()
                  .setName("zero-copy-raw")
                  .setPartitionData(
                      List.of(
                          new ProduceRequestData.PartitionProduceData()
                              .setIndex(0)
                              .setRecords(batch))));
      try (RawKafkaConnection connection =
          RawKafkaConnection.plain("127.0.0.1", port(broker.bootstrapServers()))) {
        ProduceResponse response =
            (ProduceResponse)
                connection.send(new ProduceRequest.Builder((short) 12, (short) 12, data).build());
        assertThat(response.data().responses().iterator().next().partitionResponses().get(0))
            .extracting(p -> Errors.forCode(p.errorCode()))
            .isEqualTo(Errors.NONE);
      }

      MutableRecordBatch stored =
          storedBatches("zero-copy-raw").stream()
              .filter(b -> b.baseOffset() == offset)
              .findFirst()
              .orElseThrow();
      ByteBuffer storedBytes = ByteBuffer.allocate(stored.sizeInBytes());
      stored.writeTo(storedBytes);
      byte[] kept = storedBytes.array();
      assertThat(ByteBuffer.wrap(kept).getLong(0)).isEqualTo(offset);
      // Base offset (bytes 0-7) and partition leader epoch (12-15) are the broker's to set;
      // everything from the magic byte on (attributes, CRC, compressed records) is as sent.
      Arrays.fill(kept, 0, 8, (byte) 0);
      Arrays.fill(sent, 0, 8, (byte) 0);
      Arrays.fill(kept, 12, 16, (byte) 0);
      Arrays.fill(sent, 12, 16, (byte) 0);
      assertThat(kept).as(compression.type().name).isEqualTo(sent);
    }
  }

  /** A fetch of everything in partition 0 of {@code topic} from offset 0, up to 8 MiB. */
  static FetchRequest fetchAll(String topic) {
    FetchRequestData data =
        new FetchRequestData()
            .setReplicaId(-1)
            .setMaxWaitMs(0)
            .setMinBytes(1)
            .setMaxBytes(8 << 20)
            .setIsolationLevel((byte) 0);
    data.topics()
        .add(
            new FetchRequestData.FetchTopic()
                .setTopic(topic)
                .setPartitions(
                    List.of(
                        new FetchRequestData.FetchPartition()
                            .setPartition(0)
                            .setFetchOffset(0)
                            .setLogStartOffset(-1)
                            .setPartitionMaxBytes(8 << 20))));
    return new FetchRequest(data, (short) 12);
  }

  /**
   * Writes {@code count} copies of the request, correlation ids 0 to count - 1, reading nothing.
   */
  static void sendWithoutReading(Socket socket, FetchRequest request, int count) throws Exception {
    OutputStream out = socket.getOutputStream();
    for (int i = 0; i < count; i++) {
      ByteBuffer bytes =
          request.serializeWithHeader(new RequestHeader(request.apiKey(), (short) 12, "x", i));
      out.write(ByteBuffer.allocate(4).putInt(bytes.remaining()).array());
      out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    }
    out.flush();
  }

  @Test
  void aClientThatSendsFetchesWithoutReadingTheAnswersIsReadNoFurtherUntilItReads()
      throws Exception {
    produce("zero-copy-unread", "none", 256); // about 256 KiB: each answer holds it as a region
    int requests = 1000;
    try (Socket socket = new Socket("127.0.0.1", port(broker.bootstrapServers()))) {
      socket.setSoTimeout(30_000);
      // 1,000 small requests fit the socket buffers: the broker could take them all in at once
      sendWithoutReading(socket, fetchAll("zero-copy-unread"), requests);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(files().inUse()).isPositive());
      // The broker stops reading at 100 unanswered requests (or once 1 MiB of answers wait):
      // without that it would take in all 1,000 and hold a file region for each answer.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(files().inUse()).as("answers waiting").isLessThanOrEqualTo(100));
      // Once the client reads, every request is answered, in order.
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < requests; i++) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        assertThat(ByteBuffer.wrap(frame).getInt()).as("correlation id").isEqualTo(i);
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(files().inUse()).as("files held").isZero());
  }

  @Test
  void filesHeldByResponsesAreLetGoWhenTheClientHangsUpBeforeReadingThem() throws Exception {
    produce("zero-copy-hangup", "none", 4000); // about 4 MB in one partition
    try (Socket socket = new Socket("127.0.0.1", port(broker.bootstrapServers()))) {
      sendWithoutReading(socket, fetchAll("zero-copy-hangup"), 20);
      // Twenty 4 MB responses cannot all fit the socket buffers: some wait as file regions.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(files().inUse()).isPositive());
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(files().inUse()).as("files held").isZero());
  }

  static int port(String bootstrap) {
    return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1).split(",")[0]);
  }
}
