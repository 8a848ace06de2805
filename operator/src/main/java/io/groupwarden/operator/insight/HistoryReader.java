package io.groupwarden.operator.insight;

import io.groupwarden.operator.governance.GroupTimeline;
import java.util.Optional;
import java.util.function.Function;

/**
 * Read access to a policy's lag history from another thread than the one recording it: the reader
 * runs under the history's lock and must copy out what it needs.
 */
@FunctionalInterface
public interface HistoryReader {
  /** A history with no groups. */
  HistoryReader NONE =
      new HistoryReader() {
        @Override
        public <T> Optional<T> read(String groupId, Function<GroupTimeline, T> reader) {
          return Optional.empty();
        }
      };

  /** Applies {@code reader} to the group's timeline, when the group has a history. */
  <T> Optional<T> read(String groupId, Function<GroupTimeline, T> reader);
}
