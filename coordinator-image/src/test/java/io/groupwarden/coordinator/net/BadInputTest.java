package io.groupwarden.coordinator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** What the Kafka listener does with input it cannot or will not serve. */
class BadInputTest {
  static final int MAX_REQUEST = 64 * 1024;

  /** Answers Metadata with an empty cluster; everything else is refused as unsupported. */
  static final RequestHandler HANDLER =
      request ->
          request.apiKey() == ApiKeys.METADATA
              ? CompletableFuture.completedFuture(
                  new MetadataResponse(
                      new MetadataResponseData().setClusterId("test"), request.version()))
              : CompletableFuture.completedFuture(
                  request.body().getErrorResponse(Errors.UNSUPPORTED_VERSION.exception()));

  static EmbeddedChannel channel() {
    return channel(HANDLER, new RequestMemory(1L << 30, EdgeMetrics.NONE));
  }

  static EmbeddedChannel channel(RequestHandler handler, RequestMemory memory) {
    ConnectionLimits limits =
        new ConnectionLimits(MAX_REQUEST, ConnectionLimits.SASL_MAX_RECEIVE_BYTES, 0, 100, 100);
    ListenerContext context =
        new ListenerContext(
            new Listener(
                org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT, "127.0.0.1", 0),
            handler,
            SupportedApis.standard(),
            limits,
            memory,
            null,
            null,
            EdgeMetrics.NONE);
    return new EmbeddedChannel(
        new KafkaChannelInitializer(context, new ConnectionCounter(100, 100, EdgeMetrics.NONE)));
  }

  static ByteBuf frame(ByteBuffer payload) {
    ByteBuf buf = Unpooled.buffer();
    buf.writeInt(payload.remaining());
    buf.writeBytes(payload);
    return buf;
  }

  static ByteBuffer metadataRequest(int correlationId) {
    return withHeader(
        new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of()))
            .build((short) 12),
        correlationId);
  }

  /** The request after a header of its own API and version, as a client frames it. */
  static ByteBuffer withHeader(AbstractRequest request, int correlationId) {
    return request.serializeWithHeader(
        new RequestHeader(request.apiKey(), request.version(), "test", correlationId));
  }

  /** Reads one response frame written to the channel. */
  static AbstractResponse response(EmbeddedChannel channel, RequestHeader header) {
    ByteBuf all = Unpooled.buffer();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) out;
      all.writeBytes(buf);
      buf.release();
    }
    int size = all.readInt();
    assertThat(all.readableBytes()).isEqualTo(size);
    ByteBuffer body = all.nioBuffer();
    return AbstractResponse.parseResponse(body, header);
  }

  @Test
  void aWellFormedRequestIsAnswered() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(frame(metadataRequest(7)));
    MetadataResponse response =
        (MetadataResponse)
            response(channel, new RequestHeader(ApiKeys.METADATA, (short) 12, "test", 7));
    assertThat(response.data().clusterId()).isEqualTo("test");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aFrameOverTheMaximumSizeClosesTheConnection() {
    EmbeddedChannel channel = channel();
    ByteBuf oversized = Unpooled.buffer().writeInt(MAX_REQUEST + 1).writeBytes(new byte[100]);
    channel.writeInbound(oversized);
    assertThat(channel.isOpen()).isFalse();
    assertThat(oversized.refCnt()).isZero();
  }

  @Test
  void randomBytesCloseTheConnection() {
    EmbeddedChannel channel = channel();
    byte[] garbage = new byte[200];
    new Random(1).nextBytes(garbage);
    garbage[0] = 0; // a plausible size so the bytes reach the request parser
    garbage[1] = 0;
    garbage[2] = 0;
    garbage[3] = (byte) 196;
    channel.writeInbound(Unpooled.wrappedBuffer(garbage));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anUnknownApiKeyClosesTheConnection() {
    EmbeddedChannel channel = channel();
    ByteBuffer payload =
        ByteBuffer.allocate(12)
            .putShort((short) 999)
            .putShort((short) 0)
            .putInt(1)
            .putShort((short) -1);
    payload.flip();
    channel.writeInbound(frame(payload));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aTruncatedRequestClosesTheConnection() {
    EmbeddedChannel channel = channel();
    ByteBuffer full = metadataRequest(3);
    ByteBuffer truncated = full.slice();
    truncated.limit(full.remaining() - 3);
    channel.writeInbound(frame(truncated));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void anUnsupportedApiVersionsVersionIsAnsweredWithTheSupportedVersions() {
    EmbeddedChannel channel = channel();
    ByteBuffer payload = withHeader(new ApiVersionsRequest.Builder().build((short) 4), 11);
    payload.putShort(2, (short) 99); // a version from the future
    channel.writeInbound(frame(payload));
    ApiVersionsResponse response =
        (ApiVersionsResponse)
            response(channel, new RequestHeader(ApiKeys.API_VERSIONS, (short) 0, "test", 11));
    assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
    assertThat(response.data().apiKeys().find(ApiKeys.METADATA.id)).isNotNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void anApiThatIsNotImplementedGetsAnErrorResponseNotAClosedConnection() {
    EmbeddedChannel channel = channel();
    CreatePartitionsRequest request =
        new CreatePartitionsRequest.Builder(new CreatePartitionsRequestData()).build((short) 3);
    channel.writeInbound(frame(withHeader(request, 5)));
    CreatePartitionsResponse response =
        (CreatePartitionsResponse)
            response(channel, new RequestHeader(ApiKeys.CREATE_PARTITIONS, (short) 3, "test", 5));
    assertThat(response.errorCounts()).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  /**
   * Fuzz over the frame decoder and request parser: valid headers followed by random bodies, random
   * sizes, split into random chunks. Nothing may escape the pipeline, every buffer must be
   * released, and the channel either answers or closes.
   */
  @Test
  void fuzzedFramesNeverEscapeThePipelineOrLeakBuffers() {
    Random random = new Random(20261124);
    for (int i = 0; i < 3000; i++) {
      EmbeddedChannel channel = channel();
      ByteBuf input = Unpooled.buffer();
      int frames = 1 + random.nextInt(3);
      for (int f = 0; f < frames; f++) {
        ByteBuffer payload;
        if (random.nextBoolean()) {
          ByteBuffer valid = metadataRequest(f);
          byte[] bytes = new byte[valid.remaining()];
          valid.get(bytes);
          int mutations = random.nextInt(4);
          for (int m = 0; m < mutations; m++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
          payload = ByteBuffer.wrap(bytes, 0, random.nextInt(bytes.length + 1));
        } else {
          byte[] bytes = new byte[random.nextInt(300)];
          random.nextBytes(bytes);
          payload = ByteBuffer.wrap(bytes);
        }
        int declared = random.nextInt(10) == 0 ? random.nextInt() : payload.remaining();
        input.writeInt(declared).writeBytes(payload);
      }
      while (input.isReadable() && channel.isOpen()) {
        int chunk = Math.min(input.readableBytes(), 1 + random.nextInt(64));
        channel.writeInbound(input.readRetainedSlice(chunk));
      }
      channel.finishAndReleaseAll();
      input.release();
      assertThat(input.refCnt()).isZero();
    }
  }
}
