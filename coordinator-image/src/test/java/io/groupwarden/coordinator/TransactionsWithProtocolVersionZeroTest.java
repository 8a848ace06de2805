package io.groupwarden.coordinator;

import java.util.Map;

/**
 * The transaction tests with the broker finalizing {@code transaction.version} 0: kafka-clients
 * then speak the protocol before KIP-890 (AddPartitionsToTxn and AddOffsetsToTxn before the first
 * write, one epoch for all transactions, Produce v11, which the broker verifies against the
 * transaction).
 */
class TransactionsWithProtocolVersionZeroTest extends TransactionsTest {
  @Override
  Map<String, String> settings() {
    return Map.of(
        "transaction-abort-timed-out-interval", "200ms",
        "group-shards", "3",
        "transaction-version", "0");
  }

  @Override
  boolean epochPerTransaction() {
    return false;
  }
}
