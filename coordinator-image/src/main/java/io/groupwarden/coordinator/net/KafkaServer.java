package io.groupwarden.coordinator.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Kafka protocol listeners; they share one acceptor thread and the I/O threads. */
public final class KafkaServer implements AutoCloseable {
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
