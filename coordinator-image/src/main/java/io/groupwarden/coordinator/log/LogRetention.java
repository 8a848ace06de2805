package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a partition's oldest segments: retention by time or size, and DeleteRecords, which also
 * keeps the new log start in a file so it holds after a restart. One change at a time, under the
 * partition's maintenance lock (compaction takes it too).
 */
record LogRetention(PartitionLog log, NavigableMap<Long, LogSegment> segments) {
  private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

  /** Deletes the oldest segments that are past the topic's retention time or size. */
  void apply() {
    TopicConfig topicConfig = log.topicConfig();
    if (!topicConfig.deletes()) {
      return;
    }
    long now = log.now();
    synchronized (log.maintenanceLock()) {
      while (segments.size() > 1) {
        LogSegment oldest = segments.firstEntry().getValue();
        boolean expired =
            topicConfig.retentionMs() >= 0
                && oldest.maxTimestamp() >= 0
                && now - oldest.maxTimestamp() > topicConfig.retentionMs();
        // compaction leaves the first segment in place when it empties it
        boolean empty = oldest.sizeInBytes() == 0;
        boolean oversized =
            topicConfig.retentionBytes() >= 0
                && log.sizeInBytes() - oldest.sizeInBytes() >= topicConfig.retentionBytes();
        if (!(expired || empty || oversized) || oldest.nextOffset() > log.highWatermark()) {
          return;
        }
        deleteOldest(oldest, "retention");
      }
    }
  }

  /**
   * DeleteRecords: moves the log start to {@code offset} (the high watermark when -1) and deletes
   * the segments wholly before it. The new start is kept in {@code log-start-offset}, so it holds
   * after a restart.
   *
   * @return the new log start offset
   * @throws org.apache.kafka.common.errors.OffsetOutOfRangeException past the high watermark
   */
  long deleteRecordsBefore(long offset) throws IOException {
    synchronized (log.maintenanceLock()) {
      long hw = log.highWatermark();
      long target = offset == -1 ? hw : offset;
      if (target < 0 || target > hw) {
        throw new org.apache.kafka.common.errors.OffsetOutOfRangeException(
            "cannot delete records before offset "
                + offset
                + " of "
                + log.partition()
                + ": the high watermark is "
                + hw);
      }
      if (target <= log.logStartOffset()) {
        return log.logStartOffset();
      }
      writeLogStartOffset(target);
      log.advanceLogStart(target);
      while (segments.size() > 1) {
        LogSegment oldest = segments.firstEntry().getValue();
        if (oldest.nextOffset() > target) {
          break;
        }
        deleteOldest(oldest, "DeleteRecords");
      }
      LOG.info("{}: records before {} deleted", log.partition(), target);
      return target;
    }
  }

  private void deleteOldest(LogSegment oldest, String why) {
    segments.remove(oldest.baseOffset());
    log.advanceLogStart(segments.firstKey());
    try {
      oldest.delete();
    } catch (IOException e) {
      LOG.warn("{}: could not delete {}", log.partition(), oldest, e);
    }
    LOG.info(
        "{}: {} deleted segment {}; log starts at {}",
        log.partition(),
        why,
        oldest,
        log.logStartOffset());
  }

  private void writeLogStartOffset(long offset) throws IOException {
    AtomicFiles.replace(log.directory().resolve(LogRecovery.LOG_START_FILE), Long.toString(offset));
    AtomicFiles.syncDirectory(log.directory());
  }
}
