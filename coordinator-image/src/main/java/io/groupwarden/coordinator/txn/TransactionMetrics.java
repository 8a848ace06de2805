package io.groupwarden.coordinator.txn;

/** What the transaction coordinator reports; implemented with Micrometer by the broker. */
public interface TransactionMetrics {
  TransactionMetrics NONE = new TransactionMetrics() {};

  default void committed() {}

  /** An abort, asked for by the producer or decided by the coordinator. */
  default void aborted() {}

  /** An abort the coordinator decided because the transaction outlived its timeout. */
  default void timedOut() {}
}
