package io.groupwarden.operator.lagmonitor.redis;

/**
 * What XINFO STREAM tells of a stream: its length and its newest and oldest entries. Entries' field
 * values are application data and are not kept; an entry id carries the time it was added.
 *
 * @param stream the stream key
 * @param length entries in the stream now
 * @param lastGeneratedId the id of the last entry ever added (it may since have been deleted)
 * @param firstEntryId the id of the oldest entry, or null when the stream is empty
 * @param lastEntryId the id of the newest entry, or null when the stream is empty
 * @param entriesAdded entries ever added (Redis 7 and later), or null
 * @param groups consumer groups on the stream
 */
public record StreamInfo(
    String stream,
    long length,
    String lastGeneratedId,
    String firstEntryId,
    String lastEntryId,
    Long entriesAdded,
    int groups) {

  /** The time encoded in an entry id ({@code <milliseconds>-<sequence>}), or null. */
  public static Long idTimeMillis(String id) {
    if (id == null) {
      return null;
    }
    int dash = id.indexOf('-');
    try {
      return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
