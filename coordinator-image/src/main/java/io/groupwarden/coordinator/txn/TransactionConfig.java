package io.groupwarden.coordinator.txn;

/**
 * Settings of the transaction coordinator, under Kafka's meanings.
 *
 * @param maxTimeoutMs the longest transaction timeout a producer may ask for
 *     (transaction.max.timeout.ms)
 * @param abortTimedOutIntervalMs how often open transactions past their timeout are looked for
 *     (transaction.abort.timed.out.transaction.cleanup.interval.ms)
 * @param idExpirationMs how long a transactional id without a transaction is kept
 *     (transactional.id.expiration.ms)
 * @param transactionVersion the {@code transaction.version} feature level the broker advertises: 2
 *     lets clients use KIP-890's protocol (an epoch per transaction, partitions added by Produce)
 */
public record TransactionConfig(
    int maxTimeoutMs, long abortTimedOutIntervalMs, long idExpirationMs, short transactionVersion) {

  public static TransactionConfig defaults() {
    return new TransactionConfig(900_000, 10_000, 7L * 24 * 3600 * 1000, (short) 2);
  }
}
