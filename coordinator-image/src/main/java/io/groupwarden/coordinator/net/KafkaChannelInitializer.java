package io.groupwarden.coordinator.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;

/** Assembles the pipeline of a Kafka connection: 4-byte size framing, then the request handler. */
public final class KafkaChannelInitializer extends ChannelInitializer<Channel> {
  private final RequestHandler handler;
  private final SupportedApis supported;
  private final int maxRequestBytes;

  public KafkaChannelInitializer(
      RequestHandler handler, SupportedApis supported, int maxRequestBytes) {
    this.handler = handler;
    this.supported = supported;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void initChannel(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    // A frame is a signed 4-byte size followed by that many bytes; the size counts in the limit.
    pipeline.addLast(
        "frameDecoder", new LengthFieldBasedFrameDecoder(maxRequestBytes + 4, 0, 4, 0, 4));
    pipeline.addLast("frameEncoder", new LengthFieldPrepender(4));
    // Responses completed on other threads are flushed together instead of one syscall each.
    pipeline.addLast("flushConsolidation", new FlushConsolidationHandler(256, true));
    pipeline.addLast(
        "kafkaRequests", new KafkaRequestHandler(new KafkaConnection(channel, handler, supported)));
  }
}
