package io.groupwarden.coordinator.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A pipelining Kafka protocol connection for the load generator: requests and responses are the
 * kafka-clients classes, many requests in flight per connection.
 */
final class WireClient implements AutoCloseable {
  private record Pending(RequestHeader header, CompletableFuture<AbstractResponse> future) {}

  private final Channel channel;
  private final AtomicInteger correlation = new AtomicInteger();
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

  WireClient(EventLoopGroup loop, String host, int port) throws InterruptedException {
    channel =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(Integer.MAX_VALUE, 0, 4, 0, 4));
                    ch.pipeline().addLast(new LengthFieldPrepender(4));
                    // Requests sent while responses are read leave in one write, as a client with
                    // many requests in flight would send them; the broker does the same.
                    ch.pipeline().addLast(new FlushConsolidationHandler(256, true));
                    ch.pipeline()
                        .addLast(
                            new SimpleChannelInboundHandler<ByteBuf>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext ctx, ByteBuf frame) {
                                ByteBuffer buffer = ByteBuffer.allocate(frame.readableBytes());
                                frame.readBytes(buffer);
                                buffer.flip();
                                Pending p = pending.remove(buffer.getInt(0));
                                if (p != null) {
                                  try {
                                    p.future()
                                        .complete(
                                            AbstractResponse.parseResponse(buffer, p.header()));
                                  } catch (RuntimeException e) {
                                    p.future().completeExceptionally(e);
                                  }
                                }
                              }
                            });
                  }
                })
            .connect(host, port)
            .sync()
            .channel();
  }

  CompletableFuture<AbstractResponse> send(AbstractRequest request) {
    int id = correlation.incrementAndGet();
    RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "bench", id);
    CompletableFuture<AbstractResponse> future = new CompletableFuture<>();
    pending.put(id, new Pending(header, future));
    channel.writeAndFlush(Unpooled.wrappedBuffer(request.serializeWithHeader(header)));
    return future;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
