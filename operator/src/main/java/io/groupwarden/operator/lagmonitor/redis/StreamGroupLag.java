package io.groupwarden.operator.lagmonitor.redis;

import java.util.List;

/**
 * The lag of one consumer group on one Redis stream.
 *
 * @param stream the stream key
 * @param group the group name
 * @param lag entries not yet delivered to the group; -1 when the server is unreachable; null when
 *     Redis cannot tell it exactly
 * @param pending entries delivered but not acknowledged
 * @param lastDeliveredId the last entry id delivered to the group
 * @param entriesRead the group's read counter, when Redis reports it
 * @param consumers the group's consumers
 * @param note a remark, e.g. that the group does not exist on the stream
 * @param error why the source could not be read
 */
public record StreamGroupLag(
    String stream,
    String group,
    Long lag,
    long pending,
    String lastDeliveredId,
    Long entriesRead,
    List<ConsumerInfo> consumers,
    String note,
    String error) {

  public StreamGroupLag {
    consumers = consumers == null ? List.of() : List.copyOf(consumers);
  }

  /** A consumer of a group: its name, entries pending for it, milliseconds idle. */
  public record ConsumerInfo(String name, long pending, long idleMs) {}

  static StreamGroupLag unreachable(String stream, String group, String error) {
    return new StreamGroupLag(stream, group, -1L, 0, null, null, List.of(), null, error);
  }

  static StreamGroupLag absent(String stream, String group, String note) {
    return new StreamGroupLag(stream, group, 0L, 0, null, null, List.of(), note, null);
  }
}
