package io.groupwarden.operator.governance;

/**
 * How long a topic keeps its records before deleting them, read from its configuration ({@code
 * retention.ms}, {@code retention.bytes}, {@code cleanup.policy}).
 *
 * @param retentionMillis records older than this are deleted; null when age deletes nothing ({@code
 *     retention.ms=-1}, or a compacted topic without the {@code delete} policy)
 * @param retentionBytes each partition is cut back to about this many bytes; null when size deletes
 *     nothing ({@code retention.bytes=-1}, the default, or a compact-only topic)
 */
public record TopicRetention(Long retentionMillis, Long retentionBytes) {
  /** A topic that never deletes records for their age or size. */
  public static final TopicRetention UNLIMITED = new TopicRetention(null, null);

  public TopicRetention {
    if (retentionMillis != null && retentionMillis < 0) {
      retentionMillis = null;
    }
    if (retentionBytes != null && retentionBytes < 0) {
      retentionBytes = null;
    }
  }

  /**
   * The limits as Kafka's configuration states them: {@code -1} means unlimited, and a topic whose
   * cleanup policy does not include {@code delete} deletes nothing for age or size.
   */
  public static TopicRetention of(String cleanupPolicy, long retentionMs, long retentionBytes) {
    if (cleanupPolicy != null && !cleanupPolicy.contains("delete")) {
      return UNLIMITED;
    }
    return new TopicRetention(retentionMs, retentionBytes);
  }

  /** Whether records are ever deleted for their size. */
  public boolean limitsBytes() {
    return retentionBytes != null;
  }
}
