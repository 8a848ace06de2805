package io.groupwarden.operator.lag;

/** The cluster could not be read: unreachable, timed out, or refused the request. */
public final class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
