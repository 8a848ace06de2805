package io.groupwarden.sink.config;

import java.util.Arrays;
import java.util.Optional;

/** What the worker does with a batch when MongoDB stays unreachable after the retries. */
public enum OnStoreOutage {
  /** Keep the batch, pause consumption and retry until MongoDB is back; no offset moves. */
  PAUSE("pause"),
  /** Send the batch to the dead-letter topic after the retries, then go on. */
  DEAD_LETTER("dead-letter");

  private final String text;

  OnStoreOutage(String text) {
    this.text = text;
  }

  /** The spelling used in the environment and the MongoSink spec. */
  public String text() {
    return text;
  }

  static Optional<OnStoreOutage> parse(String text) {
    return Arrays.stream(values()).filter(v -> v.text.equalsIgnoreCase(text.trim())).findFirst();
  }
}
