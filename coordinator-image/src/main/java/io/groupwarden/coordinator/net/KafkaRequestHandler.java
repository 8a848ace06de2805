package io.groupwarden.coordinator.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Netty end of a connection: hands each frame to the connection and releases it and its
 * reserved memory; closes idle connections and connections whose stream cannot be read.
 */
final class KafkaRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestHandler.class);

  /** Shared by all connections: a flood of bad connections logs one line per interval. */
  private static final ThrottledLog CLOSED =
      new ThrottledLog(LOG, "connections closed for bad input", 10_000, System::currentTimeMillis);

  private final KafkaConnection connection;
  private final ListenerContext context;

  KafkaRequestHandler(KafkaConnection connection, ListenerContext context) {
    this.connection = connection;
    this.context = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    RequestFrameDecoder.Frame frame = (RequestFrameDecoder.Frame) msg;
    try {
      connection.onFrame(frame);
    } finally {
      frame.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      context.metrics().limitHit("connections.max.idle.ms");
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Oversized or corrupt frames and failed TLS handshakes end up here: the stream cannot be
    // resynchronised, so close.
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof NotSslRecordException || root instanceof SSLException) {
      context.metrics().authenticationFailed(context.listener().name(), "TLS");
    }
    CLOSED.record(ctx.channel().remoteAddress() + " on " + context.listener().name() + ": " + root);
    ctx.close();
  }
}
