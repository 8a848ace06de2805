package io.groupwarden.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The thin Netty end of a connection: hands each frame to the connection and releases it. */
final class KafkaRequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestHandler.class);
  private final KafkaConnection connection;

  KafkaRequestHandler(KafkaConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      connection.onFrame(frame);
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.closed();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Oversized or corrupt frames end up here: the stream cannot be resynchronised, so close.
    LOG.info("closing connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
