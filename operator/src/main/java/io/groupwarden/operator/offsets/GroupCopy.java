package io.groupwarden.operator.offsets;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What happened to one group: copied (with the offsets written and what the target had before), or
 * refused with the reason; nothing is written for a refused group.
 *
 * @param group the consumer group
 * @param copied the offsets written to the target (would be written, in a dry run)
 * @param previous the offsets the target had for those partitions before, where it had any
 * @param refusal why the group was not copied, or null
 */
public record GroupCopy(
    String group,
    Map<TopicPartition, Long> copied,
    Map<TopicPartition, Long> previous,
    String refusal) {

  public GroupCopy {
    copied = Map.copyOf(copied);
    previous = Map.copyOf(previous);
  }

  static GroupCopy refused(String group, String reason) {
    return new GroupCopy(group, Map.of(), Map.of(), reason);
  }

  public boolean isCopied() {
    return refusal == null;
  }

  /** One line per group and one per partition, in partition order, for the report. */
  public String describe(boolean dryRun, String from, String to) {
    if (!isCopied()) {
      return "group " + group + ": refused, nothing written: " + refusal;
    }
    StringBuilder text =
        new StringBuilder("group ")
            .append(group)
            .append(dryRun ? ": would copy " : ": copied ")
            .append(copied.size())
            .append(copied.size() == 1 ? " partition" : " partitions")
            .append(" from ")
            .append(from)
            .append(" to ")
            .append(to);
    Map<String, Long> sorted = new TreeMap<>();
    copied.forEach((tp, offset) -> sorted.put(tp.toString(), offset));
    Map<String, Long> before = new TreeMap<>();
    previous.forEach((tp, offset) -> before.put(tp.toString(), offset));
    sorted.forEach(
        (partition, offset) -> {
          text.append(System.lineSeparator()).append("  ").append(partition).append(" -> ");
          text.append(offset);
          Long old = before.get(partition);
          if (old != null) {
            text.append(" (was ").append(old).append(")");
          }
        });
    return text.toString();
  }
}
