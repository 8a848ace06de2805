package io.groupwarden.coordinator.config;

import io.groupwarden.common.env.CoordinatorEnv;
import io.groupwarden.coordinator.txn.TransactionConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The transaction coordinator's settings, under Kafka's meanings. */
public final class TransactionOptions {
  @Option(
      names = "--transaction-max-timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      description =
          "longest transaction timeout a producer may ask for; longer is refused with"
              + " INVALID_TRANSACTION_TIMEOUT (transaction.max.timeout.ms)")
  @EnvVar(CoordinatorEnv.TRANSACTION_MAX_TIMEOUT)
  private Duration maxTimeout;

  @Option(
      names = "--transaction-abort-timed-out-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "how often transactions open past their timeout are aborted"
              + " (transaction.abort.timed.out.transaction.cleanup.interval.ms)")
  @EnvVar(CoordinatorEnv.TRANSACTION_ABORT_TIMED_OUT_INTERVAL)
  private Duration abortTimedOutInterval;

  @Option(
      names = "--transactional-id-expiration",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "how long a transactional id without an open transaction is kept after its last use"
              + " (transactional.id.expiration.ms)")
  @EnvVar(CoordinatorEnv.TRANSACTIONAL_ID_EXPIRATION)
  private Duration idExpiration;

  @Option(
      names = "--transaction-version",
      paramLabel = "LEVEL",
      defaultValue = "2",
      description =
          "the transaction.version feature level advertised to clients: 2 for KIP-890's protocol"
              + " (an epoch per transaction, partitions added by Produce), 0 for the earlier one")
  @EnvVar(CoordinatorEnv.TRANSACTION_VERSION)
  private int transactionVersion;

  public void check(Checks checks) {
    checks.positive("--transaction-max-timeout", maxTimeout);
    if (maxTimeout.toMillis() > Integer.MAX_VALUE) {
      throw checks.fail(
          "--transaction-max-timeout", maxTimeout, "must be at most " + Integer.MAX_VALUE + "ms");
    }
    checks.positive("--transaction-abort-timed-out-interval", abortTimedOutInterval);
    checks.positive("--transactional-id-expiration", idExpiration);
    if (transactionVersion < 0 || transactionVersion > 2) {
      throw checks.fail("--transaction-version", transactionVersion, "must be 0, 1 or 2");
    }
  }

  public TransactionConfig toConfig() {
    return new TransactionConfig(
        (int) maxTimeout.toMillis(),
        abortTimedOutInterval.toMillis(),
        idExpiration.toMillis(),
        (short) transactionVersion);
  }
}
