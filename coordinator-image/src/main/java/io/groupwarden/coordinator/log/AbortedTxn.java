package io.groupwarden.coordinator.log;

/**
 * A transaction that was aborted in a partition: its producer, its first offset and the offset of
 * its abort marker. {@code lastStableOffset} is the partition's last stable offset right after the
 * marker: no transaction that began before it can end later, which tells a search where to stop.
 */
public record AbortedTxn(
    long producerId, long firstOffset, long lastOffset, long lastStableOffset) {

  /** True when the transaction has records in {@code [from, to)}. */
  boolean overlaps(long from, long to) {
    return lastOffset >= from && firstOffset < to;
  }
}
