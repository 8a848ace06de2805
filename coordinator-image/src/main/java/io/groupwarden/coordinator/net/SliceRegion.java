package io.groupwarden.coordinator.net;

import io.groupwarden.coordinator.log.SegmentSlice;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes of a segment file queued on a socket: the transport sends them from the file ({@code
 * sendfile} on Linux), never through the heap. It holds a reference to its {@link SegmentSlice}, so
 * the file stays open until the bytes have left or the connection dropped them. Netty's own {@code
 * DefaultFileRegion} closes its file when released, and segment files are shared, hence this one.
 */
final class SliceRegion extends AbstractReferenceCounted implements FileRegion {
  private final SegmentSlice slice;
  private final long position;
  private final long count;
  private long transferred;

  /** {@code offset} bytes into the slice, {@code count} bytes; takes a reference to the slice. */
  SliceRegion(SegmentSlice slice, long offset, long count) {
    this.slice = slice.retain();
    this.position = slice.position() + offset;
    this.count = count;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long transfered() {
    return transferred;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    long left = count - position;
    if (left < 0 || position < 0) {
      throw new IllegalArgumentException(
          "position " + position + " outside a region of " + count + " bytes");
    }
    if (left == 0) {
      return 0;
    }
    long written = slice.channel().transferTo(this.position + position, left, target);
    if (written > 0) {
      transferred += written;
    } else if (written == 0 && slice.channel().size() < this.position + count) {
      // Segment files only grow while served; a shorter one would make the transport spin.
      throw new IOException(
          "segment file is shorter than the region being sent ("
              + slice.channel().size()
              + " < "
              + (this.position + count)
              + ")");
    }
    return written;
  }

  @Override
  protected void deallocate() {
    slice.release();
  }

  @Override
  public SliceRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public SliceRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public SliceRegion touch() {
    return this;
  }

  @Override
  public SliceRegion touch(Object hint) {
    return this;
  }
}
