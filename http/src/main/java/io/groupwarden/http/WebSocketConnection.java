package io.groupwarden.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An upgraded connection: runs its feed until either side closes. */
final class WebSocketConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

  private final WebSocketServerHandshaker handshaker;
  private final WebSocketFeed feed;
  private AutoCloseable running;

  WebSocketConnection(WebSocketServerHandshaker handshaker, WebSocketFeed feed) {
    this.handshaker = handshaker;
    this.feed = feed;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    running =
        feed.start(
            new WebSocketSession() {
              @Override
              public boolean send(String text) {
                if (!channel.isActive() || !channel.isWritable()) {
                  return false;
                }
                channel.writeAndFlush(new TextWebSocketFrame(text));
                return true;
              }

              @Override
              public boolean isOpen() {
                return channel.isActive();
              }

              @Override
              public void close() {
                channel.close();
              }
            });
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
    LOG.debug("WebSocket connection error", cause);
    ctx.close();
  }

  private void stop() {
    if (running != null) {
      try {
        running.close();
      } catch (Exception e) {
        LOG.debug("stopping a WebSocket feed failed", e);
      }
      running = null;
    }
  }
}
