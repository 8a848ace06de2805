package io.groupwarden.coordinator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.SegmentFiles;
import io.groupwarden.coordinator.log.SegmentSlice;
import io.groupwarden.coordinator.log.SliceRead;
import io.groupwarden.coordinator.log.TopicConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch response frame made of buffers and file regions carries exactly the bytes of the same
 * response serialized in memory, and gives back every reference to the segment files it used.
 */
class ResponsePartsTest {
  static final TopicPartition TP = new TopicPartition("t", 0);
  static final Uuid TOPIC_ID = Uuid.randomUuid();
  static final RequestHeader HEADER =
      new RequestHeader(ApiKeys.FETCH, ApiKeys.FETCH.latestVersion(), "client", 42);

  @TempDir Path dir;
  SegmentFiles files;
  PartitionLog log;

  @BeforeEach
  void fill() throws Exception {
    files = new SegmentFiles(2);
    TopicConfig config = new TopicConfig(-1, -1, 1 << 20, Long.MAX_VALUE, 1 << 20);
    log = PartitionLog.open(TP, dir, () -> config, () -> 5000L, files);
    for (int i = 0; i < 20; i++) {
      log.append(
          MemoryRecords.withRecords(
              Compression.NONE,
              new SimpleRecord(1000L, ("k" + i).getBytes(), ("value-" + i).repeat(20).getBytes())));
    }
    log.sync();
  }

  @AfterEach
  void close() {
    log.close();
  }

  static FetchResponseData fetchOf(BaseRecords first, BaseRecords second) {
    FetchResponseData data = new FetchResponseData().setSessionId(0);
    FetchableTopicResponse topic = new FetchableTopicResponse().setTopicId(TOPIC_ID);
    topic.partitions().add(new PartitionData().setPartitionIndex(0).setRecords(first));
    topic.partitions().add(new PartitionData().setPartitionIndex(1).setRecords(second));
    data.responses().add(topic);
    return data;
  }

  /** The frame as the connection wrote it before file regions: size, then header and body. */
  static byte[] inMemoryFrame(FetchResponseData data) {
    ResponseHeader header = HEADER.toResponseHeader();
    ByteBuffer body =
        RequestUtils.serialize(header.data(), header.headerVersion(), data, HEADER.apiVersion());
    ByteBuffer frame = ByteBuffer.allocate(4 + body.remaining());
    frame.putInt(body.remaining()).put(body);
    return frame.array();
  }

  static byte[] bytesOf(List<Object> parts) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(out);
    for (Object part : parts) {
      if (part instanceof ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        out.write(bytes);
      } else {
        FileRegion region = (FileRegion) part;
        while (region.transferred() < region.count()) {
          region.transferTo(channel, region.transferred());
        }
      }
    }
    return out.toByteArray();
  }

  /** The parts of a fetch response of the two reads, as the connection would queue them. */
  static List<Object> partsOf(SliceRead first, SliceRead second, boolean fileRegions) {
    return ResponseParts.of(
        HEADER,
        FetchResponse.of(fetchOf(first.records(), second.records())),
        PooledByteBufAllocator.DEFAULT,
        fileRegions);
  }

  byte[] expected() {
    return inMemoryFrame(
        fetchOf(log.read(0, 1000, true).records(), log.read(10, 1 << 20, true).records()));
  }

  @Test
  void withoutTlsRecordBytesLeaveAsFileRegionsOfTheSegment() throws Exception {
    SliceRead first = log.readSlice(0, 1000, true, false);
    SliceRead second = log.readSlice(10, 1 << 20, true, false);
    SegmentSlice slice = (SegmentSlice) first.records();

    List<Object> parts = partsOf(first, second, true);

    assertThat(parts).filteredOn(p -> p instanceof FileRegion).hasSize(2);
    assertThat(slice.references()).as("the queued region holds the file").isEqualTo(1);
    assertThat(bytesOf(parts)).isEqualTo(expected());
    parts.forEach(ReferenceCountUtil::release);
    assertThat(slice.references()).isZero();
    assertThat(files.inUse()).isZero();
  }

  @Test
  void withTlsRecordBytesAreReadOnceIntoDirectBuffers() throws Exception {
    SliceRead first = log.readSlice(0, 1000, true, false);
    SliceRead second = log.readSlice(10, 1 << 20, true, false);

    List<Object> parts = partsOf(first, second, false);

    assertThat(parts).noneMatch(p -> p instanceof FileRegion);
    assertThat(parts)
        .filteredOn(p -> ((ByteBuf) p).isDirect())
        .extracting(p -> ((ByteBuf) p).readableBytes())
        .containsExactly(first.records().sizeInBytes(), second.records().sizeInBytes());
    assertThat(files.inUse()).as("nothing pinned once the bytes are read").isZero();
    assertThat(bytesOf(parts)).isEqualTo(expected());
    parts.forEach(ReferenceCountUtil::release);
  }
}
