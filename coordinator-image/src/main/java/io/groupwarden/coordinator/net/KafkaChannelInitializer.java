package io.groupwarden.coordinator.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Assembles the pipeline of a Kafka connection on one listener: the connection count, TLS when the
 * listener has it, the idle timer, request framing, then the request handler.
 */
public final class KafkaChannelInitializer extends ChannelInitializer<Channel> {
  private final ListenerContext context;
  private final ConnectionCounter counter;

  public KafkaChannelInitializer(ListenerContext context, ConnectionCounter counter) {
    this.context = context;
    this.counter = counter;
  }

  @Override
  public void initChannel(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("connectionCounter", counter);
    if (context.tls() != null) {
      pipeline.addLast("tls", context.tls().newHandler(channel.alloc()));
    }
    long idle = context.limits().idleTimeoutMs();
    if (idle > 0) {
      pipeline.addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
    }
    KafkaConnection connection = new KafkaConnection(channel, context);
    // A frame is a signed 4-byte size followed by that many bytes.
    pipeline.addLast(
        "frameDecoder", new RequestFrameDecoder(connection, context.limits(), context.memory()));
    // Responses leave with their size prefix (kafka-clients lays out the whole frame), as buffers
    // and, without TLS, file regions of segment files.
    // Responses completed on other threads are flushed together instead of one syscall each.
    pipeline.addLast("flushConsolidation", new FlushConsolidationHandler(256, true));
    pipeline.addLast("kafkaRequests", new KafkaRequestHandler(connection, context));
  }
}
