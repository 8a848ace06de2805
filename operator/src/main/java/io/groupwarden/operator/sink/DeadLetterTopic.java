package io.groupwarden.operator.sink;

/**
 * What a cycle found of a sink's dead-letter topic.
 *
 * @param topic the topic's name
 * @param outcome whether it existed, was created, or could not be created
 * @param detail why it could not be created; null otherwise
 */
record DeadLetterTopic(String topic, Outcome outcome, String detail) {

  enum Outcome {
    EXISTED,
    CREATED,
    NOT_CREATED
  }

  static DeadLetterTopic existed(String topic) {
    return new DeadLetterTopic(topic, Outcome.EXISTED, null);
  }

  static DeadLetterTopic created(String topic) {
    return new DeadLetterTopic(topic, Outcome.CREATED, null);
  }

  static DeadLetterTopic notCreated(String topic, String why) {
    return new DeadLetterTopic(topic, Outcome.NOT_CREATED, why);
  }
}
