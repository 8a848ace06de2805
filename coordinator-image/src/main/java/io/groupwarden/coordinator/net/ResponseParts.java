package io.groupwarden.coordinator.net;

import io.groupwarden.coordinator.log.SegmentSlice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One response frame as Netty messages: kafka-clients' {@link Send} of the response (size prefix,
 * header, body, as {@code AbstractResponse.toSend} lays it out) written into this channel turns its
 * buffers into {@link ByteBuf}s without copying, and the record bytes of a fetch ({@link
 * SegmentSlice}s) into {@link SliceRegion}s that the socket sends from the file. Over TLS, where
 * the bytes must pass through the cipher, they are read once into pooled direct buffers instead.
 */
final class ResponseParts implements SegmentSlice.Target {
  private final ByteBufAllocator alloc;
  private final boolean fileRegions;
  private final List<Object> parts = new ArrayList<>(4);

  private ResponseParts(ByteBufAllocator alloc, boolean fileRegions) {
    this.alloc = alloc;
    this.fileRegions = fileRegions;
  }

  /**
   * The frame of {@code response}: Netty messages to write in order, which the caller releases if
   * it does not write them. The response's segment slices are released here in every case; the file
   * regions made from them hold their own references.
   *
   * @param fileRegions the connection sends files as they are (no TLS)
   */
  static List<Object> of(
      RequestHeader header,
      AbstractResponse response,
      ByteBufAllocator alloc,
      boolean fileRegions) {
    ResponseParts out = new ResponseParts(alloc, fileRegions);
    try {
      Send send = response.toSend(header.toResponseHeader(), header.apiVersion());
      while (!send.completed()) {
        if (send.writeTo(out) <= 0 && !send.completed()) {
          throw new IllegalStateException("response send made no progress");
        }
      }
      return out.parts;
    } catch (IOException | RuntimeException e) {
      out.parts.forEach(ReferenceCountUtil::safeRelease);
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    } finally {
      releaseSlices(response);
    }
  }

  /** Gives back the segment slices a fetch response holds (one reference each). */
  static void releaseSlices(AbstractResponse response) {
    if (!(response instanceof FetchResponse fetch)) {
      return;
    }
    for (FetchResponseData.FetchableTopicResponse topic : fetch.data().responses()) {
      for (FetchResponseData.PartitionData partition : topic.partitions()) {
        if (partition.records() instanceof SegmentSlice slice) {
          slice.release();
        }
      }
    }
  }

  @Override
  public long transferSlice(SegmentSlice slice, long offset, long count) throws IOException {
    if (fileRegions) {
      parts.add(new SliceRegion(slice, offset, count));
      return count;
    }
    return transferFrom(slice.channel(), slice.position() + offset, count);
  }

  /** Reads the file's bytes into a pooled direct buffer: for TLS, and for any other records. */
  @Override
  public long transferFrom(FileChannel file, long position, long count) throws IOException {
    ByteBuf buffer = alloc.directBuffer(Math.toIntExact(count));
    try {
      long done = 0;
      while (done < count) {
        int read = buffer.writeBytes(file, position + done, (int) (count - done));
        if (read < 0) {
          throw new EOFException("segment file ended " + (count - done) + " bytes early");
        }
        done += read;
      }
    } catch (IOException | RuntimeException e) {
      buffer.release();
      throw e;
    }
    parts.add(buffer);
    return count;
  }

  @Override
  public long write(ByteBuffer[] sources, int offset, int length) {
    long written = 0;
    for (int i = offset; i < offset + length; i++) {
      written += write(sources[i]);
    }
    return written;
  }

  @Override
  public long write(ByteBuffer[] sources) {
    return write(sources, 0, sources.length);
  }

  /** Wraps the buffer (the send never touches it again) and marks it written. */
  @Override
  public int write(ByteBuffer source) {
    int remaining = source.remaining();
    if (remaining > 0) {
      parts.add(Unpooled.wrappedBuffer(source.slice()));
      source.position(source.limit());
    }
    return remaining;
  }

  @Override
  public boolean hasPendingWrites() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
