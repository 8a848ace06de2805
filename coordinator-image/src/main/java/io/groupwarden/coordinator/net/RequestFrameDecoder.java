package io.groupwarden.coordinator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits the stream into request frames (a signed 4-byte size, then that many bytes). The size is
 * checked before any of the body is gathered: above {@code socket.request.max.bytes}, or above
 * {@code sasl.server.max.receive.size} before a SASL connection has authenticated, the connection
 * closes without the broker holding the body. Each frame's size is reserved from the shared {@link
 * RequestMemory} before its body is gathered; when it does not fit, this connection stops reading
 * until memory is released. Likewise, while the responses queued for this connection are above the
 * channel's write-buffer high-water mark (the client is not reading them), no further request is
 * decoded or read until they drain below the low mark, nor while {@link
 * KafkaConnection#MAX_IN_FLIGHT} requests are unanswered: a client that sends without reading
 * cannot make the broker queue responses, or hold segment files for them, without bound.
 */
final class RequestFrameDecoder extends ByteToMessageDecoder {
  /**
   * A request frame; its last release also gives back the memory reserved for it, wherever in the
   * pipeline that happens (a frame left over when the connection closes is released by Netty). A
   * produce request holds its frame (one {@link #retain}) until it is answered, since its batches
   * are written from it. The reservation is counted by this holder, not tied to the content's
   * reference count: a slice of the decoder's buffer may share its count with that buffer, which
   * the decoder still holds.
   */
  static final class Frame extends DefaultByteBufHolder {
    private final int reserved;
    private final RequestMemory memory;
    private final AtomicInteger holders = new AtomicInteger(1);

    Frame(ByteBuf body, int reserved, RequestMemory memory) {
      super(body);
      this.reserved = reserved;
      this.memory = memory;
    }

    @Override
    public Frame retain() {
      holders.incrementAndGet();
      super.retain();
      return this;
    }

    @Override
    public boolean release() {
      boolean released = super.release();
      letGo();
      return released;
    }

    @Override
    public boolean release(int decrement) {
      boolean released = super.release(decrement);
      for (int i = 0; i < decrement; i++) {
        letGo();
      }
      return released;
    }

    private void letGo() {
      if (holders.decrementAndGet() == 0) {
        memory.release(reserved);
      }
    }
  }

  private final KafkaConnection connection;
  private final ConnectionLimits limits;
  private final RequestMemory memory;
  private int reserved = -1;
  private ChannelHandlerContext context;

  /** A frame's size did not fit the request memory; reading resumes when memory is released. */
  private boolean waitingForMemory;

  /** Responses wait for the client to read them; reading resumes when they drain. */
  private boolean waitingForClient;

  /** Made once: the in-flight check runs before every frame. */
  private final Runnable caughtUp = this::clientCaughtUp;

  /** Frames at least this large get a buffer of their exact size instead of a growing one. */
  static final int LARGE_FRAME = 1 << 20;

  RequestFrameDecoder(KafkaConnection connection, ConnectionLimits limits, RequestMemory memory) {
    this.connection = connection;
    this.limits = limits;
    this.memory = memory;
    setCumulator(this::cumulate);
  }

  /**
   * Netty's merging cumulator grows its buffer a few MiB at a time, copying everything gathered so
   * far each time, so a 100 MB frame passes through some 25 buffers and briefly holds twice its
   * size. Once a large frame's size is reserved, the buffer is allocated at that size in one step:
   * the direct memory a frame takes is then what {@link RequestMemory} accounted for.
   */
  private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    long frame = reserved >= LARGE_FRAME ? 4L + reserved : 0;
    long gathered = (long) cumulation.readableBytes() + in.readableBytes();
    if (frame > gathered && cumulation.capacity() - cumulation.readerIndex() < frame) {
      ByteBuf sized = alloc.buffer((int) frame);
      try {
        sized.writeBytes(cumulation).writeBytes(in);
      } finally {
        cumulation.release();
        in.release();
      }
      return sized;
    }
    return MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws TooLongFrameException {
    if (!ctx.channel().isWritable() || connection.atInFlightLimit(caughtUp)) {
      waitingForClient = true;
      ctx.channel().config().setAutoRead(false);
      return;
    }
    // One frame per call: the decoder's caller stops when a frame closed the connection.
    if (in.readableBytes() >= 4) {
      int size = in.getInt(in.readerIndex());
      boolean pending = connection.authenticationPending();
      int max =
          pending
              ? Math.min(limits.maxUnauthenticatedBytes(), limits.maxRequestBytes())
              : limits.maxRequestBytes();
      if (size < 0 || size > max) {
        in.skipBytes(in.readableBytes());
        connection.frameTooLarge();
        throw new TooLongFrameException(
            "a request of "
                + Integer.toUnsignedString(size)
                + " bytes is over the limit of "
                + max
                + (pending ? " before authentication" : ""));
      }
      if (reserved < 0) {
        if (!memory.tryReserve(size, ctx.channel(), this::memoryReleased)) {
          waitingForMemory = true;
          ctx.channel().config().setAutoRead(false);
          return;
        }
        reserved = size;
      }
      if (in.readableBytes() < 4 + size) {
        return;
      }
      in.skipBytes(4);
      out.add(new Frame(in.readRetainedSlice(size), reserved, memory));
      reserved = -1;
    }
  }

  /** Answers drained or were answered: decode again (which holds back again if still needed). */
  private void clientCaughtUp() {
    waitingForClient = false;
    resume();
  }

  private void memoryReleased() {
    waitingForMemory = false;
    resume();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (waitingForClient && ctx.channel().isWritable()) {
      // later, not from inside the write that drained the queue (it may run within a decode)
      ctx.channel().eventLoop().execute(caughtUp);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (waitingForMemory || waitingForClient) {
      // The base class asks for more bytes after a read that produced no frame while auto-read
      // is off; held back, that would keep reading the socket into the buffer.
      ctx.fireChannelReadComplete();
      return;
    }
    super.channelReadComplete(ctx);
  }

  /** Nothing holds this connection back any more: decode what is buffered, then read again. */
  private void resume() {
    if (!context.channel().isActive() || waitingForMemory || waitingForClient) {
      return;
    }
    context.channel().config().setAutoRead(true);
    try {
      channelRead(context, Unpooled.EMPTY_BUFFER);
      channelReadComplete(context);
    } catch (Exception e) {
      context.fireExceptionCaught(e);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseReservation();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseReservation();
    super.channelInactive(ctx);
  }

  private void releaseReservation() {
    if (reserved > 0) {
      memory.release(reserved);
    }
    reserved = -1;
  }
}
