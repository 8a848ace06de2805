package io.groupwarden.operator.sink;

import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a sink's cycle is worth, found by comparing the status before with the status after: a
 * change of the decided worker count is reported once, and an operator restart does not repeat what
 * the stored status already says.
 */
final class MongoSinkNotices {
  static final String SCALED = "Scaled";
  static final String DEAD_LETTER_TOPIC = "DeadLetterTopic";

  private MongoSinkNotices() {}

  /**
   * @param before the status before the cycle, or null
   * @param after the status the cycle wrote
   * @param deadLetterTopic what the cycle found of the dead-letter topic, or null when it did not
   *     get that far
   */
  static List<Notice> between(
      MongoSinkStatus before, MongoSinkStatus after, DeadLetterTopic deadLetterTopic) {
    List<Notice> notices = new ArrayList<>();
    scaled(before, after, notices);
    if (deadLetterTopic != null) {
      switch (deadLetterTopic.outcome()) {
        case CREATED ->
            notices.add(
                Notice.normal(
                    DEAD_LETTER_TOPIC, "created dead-letter topic " + deadLetterTopic.topic()));
        // Creation refused (authorization, policy): the workers still dead-letter to it, and a
        // cluster with topic auto-creation makes it on first use.
        case NOT_CREATED ->
            notices.add(
                Notice.normal(
                    DEAD_LETTER_TOPIC,
                    "could not create dead-letter topic "
                        + deadLetterTopic.topic()
                        + ": "
                        + deadLetterTopic.detail()));
        case EXISTED -> {}
      }
    }
    return notices;
  }

  /** A new worker count for workers that were already running; the first count is no change. */
  private static void scaled(MongoSinkStatus before, MongoSinkStatus after, List<Notice> notices) {
    Integer was = before == null ? null : before.desiredReplicas();
    Integer is = after == null ? null : after.desiredReplicas();
    if (was == null || was == 0 || is == null || was.equals(is)) {
      return;
    }
    Condition scaling = after.condition(MongoSinkStatusWriter.SCALING).orElse(null);
    String why = scaling == null ? "" : scaling.reason() + ", ";
    String message = scaling == null ? "" : ": " + scaling.message();
    notices.add(
        Notice.normal(
            SCALED,
            "scaled workers from "
                + was
                + " to "
                + is
                + " ("
                + why
                + "lag "
                + after.lag()
                + " messages on "
                + after.partitions()
                + " partitions)"
                + message));
  }
}
