package io.groupwarden.coordinator.net;

import static io.groupwarden.coordinator.net.BadInputTest.frame;
import static io.groupwarden.coordinator.net.BadInputTest.metadataRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;

/**
 * When a Kafka connection stops reading: while a request waits for request memory, while it has
 * {@link KafkaConnection#MAX_IN_FLIGHT} requests unanswered, and while its answers wait for the
 * client above the write-buffer mark; and that it reads on, losing nothing, once that passes.
 */
class ReadBackPressureTest {
  /** Answers a request when the test completes its future. */
  final List<CompletableFuture<AbstractResponse>> taken = new ArrayList<>();

  final RequestHandler held =
      request -> {
        CompletableFuture<AbstractResponse> answer = new CompletableFuture<>();
        taken.add(answer);
        return answer;
      };

  final AtomicInteger readsAsked = new AtomicInteger();

  /** The connection, with a counter of the socket reads its handlers ask for. */
  EmbeddedChannel connection(RequestHandler handler, RequestMemory memory) {
    EmbeddedChannel channel = BadInputTest.channel(handler, memory);
    channel
        .pipeline()
        .addFirst(
            new ChannelOutboundHandlerAdapter() {
              @Override
              public void read(ChannelHandlerContext ctx) {
                readsAsked.incrementAndGet();
                ctx.read();
              }
            });
    readsAsked.set(0);
    return channel;
  }

  static ByteBuf frames(int count) {
    ByteBuf all = Unpooled.buffer();
    for (int i = 0; i < count; i++) {
      ByteBuf one = frame(metadataRequest(i));
      all.writeBytes(one);
      one.release();
    }
    return all;
  }

  static MetadataResponse answer() {
    return new MetadataResponse(new MetadataResponseData().setClusterId("test"), (short) 12);
  }

  /** The number of complete response frames written so far. */
  static int answersWritten(EmbeddedChannel channel) {
    int frames = 0;
    ByteBuf all = Unpooled.buffer();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      all.writeBytes((ByteBuf) out);
      ((ByteBuf) out).release();
    }
    while (all.readableBytes() >= 4) {
      all.skipBytes(all.readInt());
      frames++;
    }
    all.release();
    return frames;
  }

  @Test
  void aRequestWaitingForMemoryStopsTheConnectionReadingUntilMemoryIsReleased() {
    RequestMemory memory = new RequestMemory(100, EdgeMetrics.NONE);
    EmbeddedChannel channel = connection(BadInputTest.HANDLER, memory);
    assertThat(memory.tryReserve(90, channel, () -> {})).isTrue(); // another connection's request

    channel.writeInbound(frames(1));
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(readsAsked).as("reads asked for while waiting").hasValue(0);
    assertThat(answersWritten(channel)).isZero();

    memory.release(90);
    channel.runPendingTasks();
    assertThat(answersWritten(channel)).isEqualTo(1);
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aConnectionWithTheMostUnansweredRequestsReadsNoMoreUntilOneIsAnswered() {
    int sent = KafkaConnection.MAX_IN_FLIGHT + 50;
    EmbeddedChannel channel = connection(held, new RequestMemory(1L << 30, EdgeMetrics.NONE));

    channel.writeInbound(frames(sent));
    assertThat(taken).hasSize(KafkaConnection.MAX_IN_FLIGHT);
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(readsAsked).hasValue(0);

    taken.get(0).complete(answer());
    channel.runPendingTasks();
    assertThat(answersWritten(channel)).isEqualTo(1);
    assertThat(taken).as("one more taken in").hasSize(KafkaConnection.MAX_IN_FLIGHT + 1);

    for (int i = 1; i < sent; i++) {
      if (i < taken.size()) {
        taken.get(i).complete(answer());
      }
      channel.runPendingTasks();
    }
    assertThat(taken).hasSize(sent);
    taken.forEach(answer -> answer.complete(answer()));
    channel.runPendingTasks();
    assertThat(answersWritten(channel)).as("every request answered").isEqualTo(sent - 1);
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void answersWaitingAboveTheWriteBufferMarkStopTheConnectionReadingUntilTheyDrain() {
    EmbeddedChannel channel =
        connection(BadInputTest.HANDLER, new RequestMemory(1L << 30, EdgeMetrics.NONE));
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 4096));
    channel.write(Unpooled.buffer().writeZero(8192)); // queued, not yet sent: above the mark
    assertThat(channel.isWritable()).isFalse();

    channel.writeInbound(frames(3));
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(readsAsked).hasValue(0);

    channel.flush(); // the client read what waited
    channel.runPendingTasks();
    channel.readOutbound(); // the 8 KiB sent before
    assertThat(answersWritten(channel)).isEqualTo(3);
    assertThat(channel.config().isAutoRead()).isTrue();
  }
}
