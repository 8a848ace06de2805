package io.groupwarden.coordinator.log;

import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;

/**
 * A read whose records stay in the segment file: a {@link SegmentSlice} the holder must release, or
 * empty records.
 */
public record SliceRead(
    Errors error,
    BaseRecords records,
    long highWatermark,
    long lastStableOffset,
    long logStartOffset,
    List<AbortedTxn> abortedTransactions) {
  /** Unpins the segment file when the records are a slice; call once. */
  public void release() {
    if (records instanceof SegmentSlice slice) {
      slice.release();
    }
  }
}
