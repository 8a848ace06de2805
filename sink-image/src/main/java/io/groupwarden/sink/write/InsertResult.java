package io.groupwarden.sink.write;

import java.util.Map;

/** What one insertMany of a list of documents came to, as the store reports it. */
public sealed interface InsertResult {

  /**
   * The store answered. Documents whose {@code _id} was already there count as stored; {@code
   * refused} maps the position in the list of each document the store would not take to its error.
   */
  record Written(int inserted, int duplicates, Map<Integer, String> refused)
      implements InsertResult {
    public Written {
      refused = Map.copyOf(refused);
    }

    public static Written all(int inserted) {
      return new Written(inserted, 0, Map.of());
    }
  }

  /** The store could not be reached (network, no primary, timeout): nothing can be said. */
  record Unavailable(String error) implements InsertResult {}

  /**
   * The store refused the request as a whole (too large, write concern not met, ...) without naming
   * a document.
   */
  record Failed(String error) implements InsertResult {}
}
