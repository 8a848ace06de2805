package io.groupwarden.coordinator.net;

/** What the network edge reports to the broker's metrics. */
public interface EdgeMetrics {
  /** A connection failed SASL or TLS authentication, or sent a request before authenticating. */
  void authenticationFailed(String listener, String mechanism);

  /** A limit turned something away; {@code limit} names it as the README does. */
  void limitHit(String limit);

  /** An authenticated connection authenticated again before its session ended (KIP-368). */
  default void reauthenticated(String listener, String mechanism) {}

  /** Metrics that count nothing, for tests of single parts. */
  EdgeMetrics NONE =
      new EdgeMetrics() {
        @Override
        public void authenticationFailed(String listener, String mechanism) {}

        @Override
        public void limitHit(String limit) {}
      };
}
