package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.network.TransferableChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Whole record batches of one segment file, left in the file: a fetch response carries this instead
 * of a copy of the bytes, and the connection hands them to the socket from the file. The file stays
 * open (pinned in {@link SegmentFiles}) while anyone holds a reference; retention or compaction
 * that removes the segment meanwhile closes it only after the last release.
 *
 * <p>The reference count starts at one, owned by whoever got the slice from the read; each holder
 * that keeps it longer (a queued file region) takes its own with {@link #retain}.
 */
public final class SegmentSlice implements BaseRecords {
  /** A channel that takes a slice's bytes itself, e.g. as a file region queued on a socket. */
  public interface Target extends TransferableChannel {
    /**
     * Takes {@code count} bytes of the slice from {@code offset} (relative to the slice); returns
     * how many it took.
     */
    long transferSlice(SegmentSlice slice, long offset, long count) throws IOException;
  }

  private final SegmentFiles.Pin pin;
  private final long position;
  private final int size;
  private final AtomicInteger references = new AtomicInteger(1);

  SegmentSlice(SegmentFiles.Pin pin, long position, int size) {
    this.pin = pin;
    this.position = position;
    this.size = size;
  }

  /** The segment file's channel; read it with positional reads only, it is shared. */
  public FileChannel channel() {
    return pin.records().channel();
  }

  /** The pinned segment file, for reading batch headers within the slice. */
  FileRecords pinnedRecords() {
    return pin.records();
  }

  /** Where the slice starts in the file. */
  public long position() {
    return position;
  }

  @Override
  public int sizeInBytes() {
    return size;
  }

  /** Takes one more reference; the file stays open until each is released. */
  public SegmentSlice retain() {
    int before = references.getAndIncrement();
    if (before <= 0) {
      references.getAndDecrement();
      throw new IllegalStateException("slice of " + pin + " already released");
    }
    return this;
  }

  /** Gives back one reference; the last one unpins the file. */
  public void release() {
    int after = references.decrementAndGet();
    if (after == 0) {
      pin.release();
    } else if (after < 0) {
      references.incrementAndGet();
      throw new IllegalStateException("slice released more often than retained");
    }
  }

  /** References held now; zero once the file is unpinned. */
  public int references() {
    return references.get();
  }

  @Override
  public RecordsSend<SegmentSlice> toSend() {
    return new RecordsSend<>(this, size) {
      @Override
      protected int writeTo(TransferableChannel channel, int previouslyWritten, int remaining)
          throws IOException {
        if (channel instanceof Target target) {
          return (int) target.transferSlice(SegmentSlice.this, previouslyWritten, remaining);
        }
        return (int)
            channel.transferFrom(
                SegmentSlice.this.channel(), position + previouslyWritten, remaining);
      }
    };
  }

  @Override
  public String toString() {
    return "SegmentSlice(position=" + position + ", size=" + size + ")";
  }
}
