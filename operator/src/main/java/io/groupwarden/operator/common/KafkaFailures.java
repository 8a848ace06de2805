package io.groupwarden.operator.common;

import io.groupwarden.operator.lag.KafkaUnavailableException;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;

/**
 * How a failed Kafka call becomes a {@code Ready=False} reason and message: the same two reasons
 * for every resource that reads Kafka.
 */
public final class KafkaFailures {
  /** The cluster did not answer in time or refused the request. */
  public static final String UNREACHABLE = "KafkaUnreachable";

  /** No client could be made from the address: malformed, or a host that does not resolve. */
  public static final String INVALID_BOOTSTRAP_SERVERS = "InvalidBootstrapServers";

  private KafkaFailures() {}

  /**
   * The problem a failure of a reconcile cycle that reads Kafka is; a {@link SpecProblem} is
   * already one and is returned as it is.
   *
   * @param failure what the cycle threw
   * @param reading what could not be read, completing "cannot read ...", e.g. {@code "consumer
   *     groups from kafka:9092"}; asked for only when the cluster did not answer
   * @throws RuntimeException {@code failure} itself when it is neither a spec problem nor a Kafka
   *     failure
   */
  public static SpecProblem asProblem(RuntimeException failure, Supplier<String> reading) {
    if (failure instanceof SpecProblem problem) {
      return problem;
    }
    if (failure instanceof KafkaUnavailableException) {
      return new SpecProblem(
          UNREACHABLE, "cannot read " + reading.get() + ": " + failure.getMessage());
    }
    if (failure instanceof KafkaException) {
      return new SpecProblem(
          INVALID_BOOTSTRAP_SERVERS, "spec.kafka.bootstrapServers: " + rootMessage(failure));
    }
    throw failure;
  }

  /** The innermost cause's message: the client wraps "no resolvable bootstrap urls" twice. */
  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
