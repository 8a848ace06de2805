package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * One Redis stream and the groups that read it, with what XINFO STREAM tells of it.
 *
 * @param length entries in the stream; null when it could not be read
 * @param lastGeneratedId the id of the last entry ever added; null when unknown
 * @param firstEntry the oldest entry; null when the stream is empty or unread
 * @param lastEntry the newest entry; null when the stream is empty or unread
 * @param entriesAdded entries ever added (Redis 7 and later); null when unknown
 */
public record StreamGroupsView(
    String stream,
    List<StreamSourceView> groups,
    Long length,
    @JsonProperty("last_generated_id") String lastGeneratedId,
    @JsonProperty("first_entry") EntryView firstEntry,
    @JsonProperty("last_entry") EntryView lastEntry,
    @JsonProperty("entries_added") Long entriesAdded) {

  /**
   * An entry of a stream: its id and the time the id carries. Its fields are application data and
   * are not shown.
   */
  public record EntryView(String id, Instant time) {}
}
