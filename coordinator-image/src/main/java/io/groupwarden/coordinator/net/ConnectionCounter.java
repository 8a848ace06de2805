package io.groupwarden.coordinator.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open connections over all listeners, in total and per client address, and closes a new one
 * at once when it would pass {@code max.connections} or {@code max.connections.per.ip}. It sits
 * first in every connection's pipeline, so a refused connection costs no TLS handshake and no
 * buffer.
 */
@ChannelHandler.Sharable
public final class ConnectionCounter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCounter.class);

  private final int maxConnections;
  private final int maxPerAddress;
  private final EdgeMetrics metrics;
  private final ThrottledLog rejections;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress =
      new ConcurrentHashMap<>();

  public ConnectionCounter(int maxConnections, int maxPerAddress, EdgeMetrics metrics) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    this.metrics = metrics;
    this.rejections =
        new ThrottledLog(LOG, "connections refused", 10_000, System::currentTimeMillis);
  }

  public int open() {
    return total.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    InetAddress address =
        channel.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    String refusal = admit(address);
    if (refusal != null) {
      metrics.limitHit(refusal);
      rejections.record(refusal + " (" + address + ")");
      ctx.close();
      return;
    }
    channel
        .closeFuture()
        .addListener(
            f -> {
              total.decrementAndGet();
              if (address != null) {
                perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
              }
            });
    ctx.fireChannelActive();
  }

  /** Takes a place for a new connection, or says which limit refused it. */
  private String admit(InetAddress address) {
    if (total.incrementAndGet() > maxConnections) {
      total.decrementAndGet();
      return "max.connections";
    }
    if (address != null) {
      int[] mine = new int[1];
      perAddress.compute(
          address,
          (a, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            mine[0] = count.incrementAndGet();
            return count;
          });
      if (mine[0] > maxPerAddress) {
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
        total.decrementAndGet();
        return "max.connections.per.ip";
      }
    }
    return null;
  }
}
