package io.groupwarden.coordinator.log;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The per-topic settings the broker honours, under Kafka's names. Settings that only make sense
 * with several brokers ({@code min.insync.replicas}, {@code unclean.leader.election.enable}) are
 * accepted as Kafka accepts them and have no effect on a single node.
 *
 * @param compact {@code cleanup.policy} includes {@code compact}: only the newest record of each
 *     key is kept (in rolled segments, by the log cleaner)
 * @param delete {@code cleanup.policy} includes {@code delete}: retention by time and size applies
 * @param logAppendTime {@code message.timestamp.type=LogAppendTime}: the broker stamps batches
 */
public record TopicConfig(
    long retentionMs,
    long retentionBytes,
    int segmentBytes,
    long segmentMs,
    int maxMessageBytes,
    boolean compact,
    boolean delete,
    long deleteRetentionMs,
    double minCleanableDirtyRatio,
    long minCompactionLagMs,
    long maxCompactionLagMs,
    boolean logAppendTime,
    Map<String, String> passive) {

  public static final String RETENTION_MS = "retention.ms";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String SEGMENT_BYTES = "segment.bytes";
  public static final String SEGMENT_MS = "segment.ms";
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  public static final String CLEANUP_POLICY = "cleanup.policy";
  public static final String DELETE_RETENTION_MS = "delete.retention.ms";
  public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
  public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
  public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
  public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";

  /** Settings Kafka accepts whose effect needs more than one broker, with Kafka's defaults. */
  private static final Map<String, String> PASSIVE_DEFAULTS =
      Map.of(
          "min.insync.replicas", "1",
          "unclean.leader.election.enable", "false",
          "compression.type", "producer",
          "message.downconversion.enable", "true",
          "preallocate", "false",
          "flush.messages", "9223372036854775807",
          "flush.ms", "9223372036854775807",
          "index.interval.bytes", "4096");

  public TopicConfig {
    passive = Map.copyOf(passive);
  }

  /** Delete-policy defaults with the given retention, segment and batch sizes. */
  public TopicConfig(
      long retentionMs,
      long retentionBytes,
      int segmentBytes,
      long segmentMs,
      int maxMessageBytes) {
    this(
        retentionMs,
        retentionBytes,
        segmentBytes,
        segmentMs,
        maxMessageBytes,
        false,
        true,
        86_400_000L,
        0.5,
        0,
        Long.MAX_VALUE,
        false,
        Map.of());
  }

  /**
   * How old the active segment may be when an append rolls it: {@code segment.ms}, and for a
   * compacted topic at most {@code max.compaction.lag.ms}, since only rolled segments are compacted
   * (Kafka rolls the same way).
   */
  public long rollMs() {
    return compact ? Math.min(segmentMs, maxCompactionLagMs) : segmentMs;
  }

  /** These defaults overridden by {@code overrides}; unknown or bad entries are refused. */
  public TopicConfig with(Map<String, String> overrides) {
    Builder b = new Builder(this);
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      String value = entry.getValue();
      if (value == null) {
        continue;
      }
      String name = entry.getKey();
      try {
        switch (name) {
          case RETENTION_MS -> b.retentionMs = atLeast(Long.parseLong(value), -1, name);
          case RETENTION_BYTES -> b.retentionBytes = atLeast(Long.parseLong(value), -1, name);
          case SEGMENT_BYTES -> b.segmentBytes = (int) atLeast(Integer.parseInt(value), 1024, name);
          case SEGMENT_MS -> b.segmentMs = atLeast(Long.parseLong(value), 1, name);
          case MAX_MESSAGE_BYTES ->
              b.maxMessageBytes = (int) atLeast(Integer.parseInt(value), 0, name);
          case CLEANUP_POLICY -> b.cleanupPolicy(value);
          case DELETE_RETENTION_MS -> b.deleteRetentionMs = atLeast(Long.parseLong(value), 0, name);
          case MIN_CLEANABLE_DIRTY_RATIO -> {
            double ratio = Double.parseDouble(value);
            if (!(ratio >= 0 && ratio <= 1)) {
              throw new InvalidConfigurationException(name + " must be between 0 and 1");
            }
            b.minCleanableDirtyRatio = ratio;
          }
          case MIN_COMPACTION_LAG_MS ->
              b.minCompactionLagMs = atLeast(Long.parseLong(value), 0, name);
          case MAX_COMPACTION_LAG_MS ->
              b.maxCompactionLagMs = atLeast(Long.parseLong(value), 1, name);
          case MESSAGE_TIMESTAMP_TYPE -> {
            if (!value.equals("CreateTime") && !value.equals("LogAppendTime")) {
              throw new InvalidConfigurationException(
                  name + " must be CreateTime or LogAppendTime, not '" + value + "'");
            }
            b.logAppendTime = value.equals("LogAppendTime");
          }
          default -> {
            if (!PASSIVE_DEFAULTS.containsKey(name)) {
              throw new InvalidConfigurationException("unsupported topic config '" + name + "'");
            }
            b.passive.put(name, value);
          }
        }
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException("invalid value '" + value + "' for " + name);
      }
    }
    return b.build();
  }

  /** The value of {@code cleanup.policy} as Kafka writes it. */
  public String cleanupPolicy() {
    return compact && delete ? "compact,delete" : compact ? "compact" : "delete";
  }

  /** True when retention by time and size applies (cleanup.policy includes delete). */
  public boolean deletes() {
    return delete;
  }

  /** The settings as Kafka names them, for DescribeConfigs and the topic file. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(CLEANUP_POLICY, cleanupPolicy());
    map.put(RETENTION_MS, String.valueOf(retentionMs));
    map.put(RETENTION_BYTES, String.valueOf(retentionBytes));
    map.put(SEGMENT_BYTES, String.valueOf(segmentBytes));
    map.put(SEGMENT_MS, String.valueOf(segmentMs));
    map.put(MAX_MESSAGE_BYTES, String.valueOf(maxMessageBytes));
    map.put(DELETE_RETENTION_MS, String.valueOf(deleteRetentionMs));
    map.put(MIN_CLEANABLE_DIRTY_RATIO, String.valueOf(minCleanableDirtyRatio));
    map.put(MIN_COMPACTION_LAG_MS, String.valueOf(minCompactionLagMs));
    map.put(MAX_COMPACTION_LAG_MS, String.valueOf(maxCompactionLagMs));
    map.put(MESSAGE_TIMESTAMP_TYPE, logAppendTime ? "LogAppendTime" : "CreateTime");
    PASSIVE_DEFAULTS.keySet().stream()
        .sorted()
        .forEach(name -> map.put(name, passive.getOrDefault(name, PASSIVE_DEFAULTS.get(name))));
    return map;
  }

  private static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new InvalidConfigurationException(name + " must be at least " + min);
    }
    return value;
  }

  private static final class Builder {
    long retentionMs;
    long retentionBytes;
    int segmentBytes;
    long segmentMs;
    int maxMessageBytes;
    boolean compact;
    boolean delete;
    long deleteRetentionMs;
    double minCleanableDirtyRatio;
    long minCompactionLagMs;
    long maxCompactionLagMs;
    boolean logAppendTime;
    final Map<String, String> passive;

    Builder(TopicConfig c) {
      retentionMs = c.retentionMs;
      retentionBytes = c.retentionBytes;
      segmentBytes = c.segmentBytes;
      segmentMs = c.segmentMs;
      maxMessageBytes = c.maxMessageBytes;
      compact = c.compact;
      delete = c.delete;
      deleteRetentionMs = c.deleteRetentionMs;
      minCleanableDirtyRatio = c.minCleanableDirtyRatio;
      minCompactionLagMs = c.minCompactionLagMs;
      maxCompactionLagMs = c.maxCompactionLagMs;
      logAppendTime = c.logAppendTime;
      passive = new LinkedHashMap<>(c.passive);
    }

    void cleanupPolicy(String value) {
      boolean withCompact = false;
      boolean withDelete = false;
      for (String part : value.split(",")) {
        switch (part.trim().toLowerCase(Locale.ROOT)) {
          case "compact" -> withCompact = true;
          case "delete" -> withDelete = true;
          default ->
              throw new InvalidConfigurationException(
                  "cleanup.policy=" + value + ": each policy must be 'delete' or 'compact'");
        }
      }
      compact = withCompact;
      delete = withDelete;
    }

    TopicConfig build() {
      return new TopicConfig(
          retentionMs,
          retentionBytes,
          segmentBytes,
          segmentMs,
          maxMessageBytes,
          compact,
          delete,
          deleteRetentionMs,
          minCleanableDirtyRatio,
          minCompactionLagMs,
          maxCompactionLagMs,
          logAppendTime,
          passive);
    }
  }
}
