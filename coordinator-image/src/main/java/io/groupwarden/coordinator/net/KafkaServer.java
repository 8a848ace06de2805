package io.groupwarden.coordinator.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Kafka protocol listeners; they share one acceptor thread and the I/O threads. */
public final class KafkaServer implements AutoCloseable {
  /**
   * Responses queued on one connection above 1 MiB stop it from reading further requests until they
   * drain below 256 KiB (see {@link RequestFrameDecoder}). A client that reads its responses is not
   * slowed: consumers wait for one fetch's response before sending the next.
   */
  static final WriteBufferWaterMark RESPONSE_QUEUE = new WriteBufferWaterMark(256 << 10, 1 << 20);

  /**
   * Netty counts a file region queued for sendfile as zero bytes; fetched record bytes are counted
   * here, so that the response-queue bound covers them like the bytes of any other response.
   */
  static final MessageSizeEstimator COUNTING_FILE_REGIONS =
      () ->
          message ->
              message instanceof FileRegion region
                  ? (int) Math.min(region.count() - region.transferred(), Integer.MAX_VALUE)
                  : DefaultMessageSizeEstimator.DEFAULT.newHandle().size(message);

  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers;
  private final List<Channel> serverChannels = new ArrayList<>();

  public KafkaServer(int ioThreads) {
    this.workers = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
  }

  public EventLoopGroup workers() {
    return workers;
  }

  /** Binds one listener; returns the port it is bound to (useful with port 0). */
  public int start(Listener listener, KafkaChannelInitializer initializer)
      throws InterruptedException {
    Channel channel =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, RESPONSE_QUEUE)
            .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, COUNTING_FILE_REGIONS)
            .childHandler(initializer)
            .bind(listener.bindHost(), listener.port())
            .sync()
            .channel();
    serverChannels.add(channel);
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    for (Channel channel : serverChannels) {
      channel.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
