package io.groupwarden.http;

import io.groupwarden.common.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What an upgraded WebSocket connection receives. */
@FunctionalInterface
public interface WebSocketFeed {
  /**
   * Starts sending to the session; the returned handle stops it when the connection closes.
   * Incoming messages other than close and ping are ignored.
   */
  AutoCloseable start(WebSocketSession session);

  /** A snapshot sent at once and then every {@code interval}, until the client goes away. */
  static WebSocketFeed every(Duration interval, Supplier<String> snapshot) {
    return session -> {
      ScheduledFuture<?> ticks =
          Ticker.INSTANCE.scheduleAtFixedRate(
              () -> {
                try {
                  if (session.isOpen()) {
                    session.send(snapshot.get());
                  }
                } catch (RuntimeException e) {
                  // A failing snapshot ends this feed only, and says why.
                  Ticker.LOG.warn("a WebSocket feed failed and is closed", e);
                  session.close();
                  throw e;
                }
              },
              0,
              interval.toMillis(),
              TimeUnit.MILLISECONDS);
      return () -> ticks.cancel(false);
    };
  }

  /** One daemon thread that produces the snapshots of every periodic feed. */
  final class Ticker {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ticker.class);
    static final ScheduledExecutorService INSTANCE = DaemonThreads.scheduled("websocket-feeds");

    private Ticker() {}
  }
}
