package io.groupwarden.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * A body for {@link Response#stream} whose length is not known in advance: a subclass produces each
 * chunk from the connection's allocator, says when it has ended, and counts its progress in its own
 * unit.
 */
public abstract class StreamedBody implements ChunkedInput<ByteBuf> {
  /** Netty's older entry point, answered with the connection's allocator. */
  @Override
  @Deprecated
  public final ByteBuf readChunk(ChannelHandlerContext ctx) {
    return readChunk(ctx.alloc());
  }

  @Override
  public abstract ByteBuf readChunk(ByteBufAllocator allocator);

  /** Unknown: the body is sent with chunked transfer encoding. */
  @Override
  public final long length() {
    return -1;
  }
}
