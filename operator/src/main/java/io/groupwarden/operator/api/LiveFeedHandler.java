package io.groupwarden.operator.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a live feed's snapshot on an upgraded WebSocket connection at once and then every interval,
 * until the client closes it. Client messages other than close and ping are ignored.
 */
final class LiveFeedHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final WebSocketServerHandshaker handshaker;
  private final LiveFeed feed;
  private ScheduledFuture<?> ticks;

  LiveFeedHandler(WebSocketServerHandshaker handshaker, LiveFeed feed) {
    this.handshaker = handshaker;
    this.feed = feed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    long millis = feed.interval().toMillis();
    ticks =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> {
                  if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(new TextWebSocketFrame(feed.snapshot().get()));
                  }
                },
                0,
                millis,
                TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof CloseWebSocketFrame close) {
      handshaker.close(ctx.channel(), close.retain());
    } else if (frame instanceof PingWebSocketFrame ping) {
      ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void stop() {
    if (ticks != null) {
      ticks.cancel(false);
    }
  }
}
