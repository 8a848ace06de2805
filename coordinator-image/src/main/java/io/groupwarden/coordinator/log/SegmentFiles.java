package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.record.internal.FileRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open files of all log segments, at most {@code maxOpen} of them that are not in use. A
 * segment's file is opened when it is read or written and stays open while it is among the most
 * recently used; the least recently used is closed when another must open. A partition nobody
 * touches therefore holds no descriptor, however many segments it has, and the broker's descriptors
 * are bounded whatever the number of partitions.
 *
 * <p>A file in use (pinned) is never closed under its user; when more files are in use at once than
 * the bound, the bound is exceeded until they are released. When opening fails because the process
 * is out of descriptors, every idle file is closed and the open is tried once more; if it still
 * fails, that one request fails with the error and nothing else is affected.
 */
public final class SegmentFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

  /** Something done with a segment's open file. */
  interface FileAction<T> {
    T apply(FileRecords records) throws IOException;
  }

  /** The segment was deleted (by retention or with its topic) while someone still held it. */
  static final class SegmentDeletedException extends IOException {
    SegmentDeletedException(LogSegment segment) {
      super(segment + " was deleted");
    }
  }

  private static final class Handle {
    final FileRecords records;
    int pins;
    boolean discarded;

    Handle(FileRecords records) {
      this.records = records;
    }
  }

  private final int maxOpen;
  private final Map<LogSegment, Handle> open = new LinkedHashMap<>(64, 0.75f, true);
  private long opens;
  private int pinned;

  /**
   * @param maxOpen how many idle files may stay open
   */
  public SegmentFiles(int maxOpen) {
    if (maxOpen < 1) {
      throw new IllegalArgumentException("maxOpen must be at least 1, not " + maxOpen);
    }
    this.maxOpen = maxOpen;
  }

  /** Runs {@code action} on the segment's file, opening it if needed. */
  <T> T use(LogSegment segment, FileAction<T> action) throws IOException {
    Handle handle = acquire(segment);
    try {
      return action.apply(handle.records);
    } finally {
      release(segment, handle);
    }
  }

  /**
   * Keeps the segment's file open until the pin is released: for bytes that leave after the read
   * returns (a fetch response handed to the socket as a file region). Retention, compaction and the
   * bound on idle files close it only once every pin is released.
   */
  Pin pin(LogSegment segment) throws IOException {
    return new Pin(segment, acquire(segment));
  }

  /** A segment's file held open; {@link #release} gives it back once, whoever calls it. */
  final class Pin {
    private final LogSegment segment;
    private final Handle handle;
    private final AtomicBoolean released = new AtomicBoolean();

    private Pin(LogSegment segment, Handle handle) {
      this.segment = segment;
      this.handle = handle;
    }

    FileRecords records() {
      return handle.records;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        SegmentFiles.this.release(segment, handle);
      }
    }
  }

  /**
   * Uses of files going on now: reads in progress, and fetched bytes not yet sent (file regions
   * queued on sockets). Zero when the broker is idle; anything else is a leak.
   */
  public synchronized int inUse() {
    return pinned;
  }

  /** Files open now, in use or not. */
  public synchronized int openCount() {
    return open.size();
  }

  /** Files opened since the start; the rate at which idle files are closed and opened again. */
  public synchronized long opens() {
    return opens;
  }

  public int maxOpen() {
    return maxOpen;
  }

  private synchronized Handle acquire(LogSegment segment) throws IOException {
    if (segment.deleted()) {
      throw new SegmentDeletedException(segment);
    }
    Handle handle = open.get(segment);
    if (handle == null) {
      closeIdle(maxOpen - 1);
      FileRecords records;
      try {
        records = segment.openFile();
      } catch (IOException e) {
        // Most likely out of descriptors: give back every idle one and try once more.
        if (closeIdle(0) == 0) {
          throw e;
        }
        records = segment.openFile();
      }
      handle = new Handle(records);
      open.put(segment, handle);
      opens++;
    }
    handle.pins++;
    pinned++;
    return handle;
  }

  private synchronized void release(LogSegment segment, Handle handle) {
    handle.pins--;
    pinned--;
    if (handle.pins == 0 && handle.discarded) {
      closeQuietly(segment, handle);
    } else if (open.size() > maxOpen) {
      closeIdle(maxOpen);
    }
  }

  /**
   * Closes least recently used idle files until at most {@code keep} are open; returns how many.
   */
  private int closeIdle(int keep) {
    int closed = 0;
    Iterator<Map.Entry<LogSegment, Handle>> it = open.entrySet().iterator();
    while (open.size() > keep && it.hasNext()) {
      Map.Entry<LogSegment, Handle> entry = it.next();
      if (entry.getValue().pins == 0) {
        it.remove();
        closeQuietly(entry.getKey(), entry.getValue());
        closed++;
      }
    }
    return closed;
  }

  /**
   * Closes the segment's file, now or, while it is in use, when its last user is done; no later use
   * opens it again once the segment is marked deleted.
   */
  synchronized void close(LogSegment segment) {
    Handle handle = open.remove(segment);
    if (handle == null) {
      return;
    }
    if (handle.pins == 0) {
      closeQuietly(segment, handle);
    } else {
      handle.discarded = true;
    }
  }

  /** Closes every idle file, e.g. when the broker stops. */
  public synchronized void closeAll() {
    List<LogSegment> segments = new ArrayList<>(open.keySet());
    segments.forEach(this::close);
  }

  private static void closeQuietly(LogSegment segment, Handle handle) {
    try {
      // No flush: the partition's fsync forces the file through whichever descriptor is open then.
      handle.records.channel().close();
    } catch (IOException e) {
      LOG.warn("could not close {}: {}", segment, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "segment files (" + openCount() + " open, at most " + maxOpen + " idle)";
  }
}
