package io.groupwarden.coordinator.log;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/** The per-topic settings the broker honours, under Kafka's names. */
public record TopicConfig(
    long retentionMs, long retentionBytes, int segmentBytes, long segmentMs, int maxMessageBytes) {

  public static final String RETENTION_MS = "retention.ms";
  public static final String RETENTION_BYTES = "retention.bytes";
  public static final String SEGMENT_BYTES = "segment.bytes";
  public static final String SEGMENT_MS = "segment.ms";
  public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  public static final String CLEANUP_POLICY = "cleanup.policy";

  /** These defaults overridden by {@code overrides}; unknown or bad entries are refused. */
  public TopicConfig with(Map<String, String> overrides) {
    TopicConfig result = this;
    for (Map.Entry<String, String> entry : overrides.entrySet()) {
      String value = entry.getValue();
      if (value == null) {
        continue;
      }
      try {
        result =
            switch (entry.getKey()) {
              case RETENTION_MS ->
                  new TopicConfig(
                      atLeast(Long.parseLong(value), -1, entry.getKey()),
                      result.retentionBytes,
                      result.segmentBytes,
                      result.segmentMs,
                      result.maxMessageBytes);
              case RETENTION_BYTES ->
                  new TopicConfig(
                      result.retentionMs,
                      atLeast(Long.parseLong(value), -1, entry.getKey()),
                      result.segmentBytes,
                      result.segmentMs,
                      result.maxMessageBytes);
              case SEGMENT_BYTES ->
                  new TopicConfig(
                      result.retentionMs,
                      result.retentionBytes,
                      (int) atLeast(Integer.parseInt(value), 1024, entry.getKey()),
                      result.segmentMs,
                      result.maxMessageBytes);
              case SEGMENT_MS ->
                  new TopicConfig(
                      result.retentionMs,
                      result.retentionBytes,
                      result.segmentBytes,
                      atLeast(Long.parseLong(value), 1, entry.getKey()),
                      result.maxMessageBytes);
              case MAX_MESSAGE_BYTES ->
                  new TopicConfig(
                      result.retentionMs,
                      result.retentionBytes,
                      result.segmentBytes,
                      result.segmentMs,
                      (int) atLeast(Integer.parseInt(value), 0, entry.getKey()));
              case CLEANUP_POLICY -> {
                if (!value.equals("delete")) {
                  throw new InvalidConfigurationException(
                      "cleanup.policy=" + value + " is not supported; only 'delete' is");
                }
                yield result;
              }
              default ->
                  throw new InvalidConfigurationException(
                      "unsupported topic config '" + entry.getKey() + "'");
            };
      } catch (NumberFormatException e) {
        throw new InvalidConfigurationException(
            "invalid value '" + value + "' for " + entry.getKey());
      }
    }
    return result;
  }

  /** The settings as Kafka names them, for DescribeConfigs and the topic file. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(CLEANUP_POLICY, "delete");
    map.put(RETENTION_MS, String.valueOf(retentionMs));
    map.put(RETENTION_BYTES, String.valueOf(retentionBytes));
    map.put(SEGMENT_BYTES, String.valueOf(segmentBytes));
    map.put(SEGMENT_MS, String.valueOf(segmentMs));
    map.put(MAX_MESSAGE_BYTES, String.valueOf(maxMessageBytes));
    return map;
  }

  private static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new InvalidConfigurationException(name + " must be at least " + min);
    }
    return value;
  }
}
