package io.groupwarden.operator.common;

import io.groupwarden.common.KubeDuration;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/** Waiting for a client library's answer for at most the operator's request timeout. */
public final class Futures {
  private Futures() {}

  /**
   * The future's value, waited for at most {@code timeout}. No answer in time, or an interrupt
   * (kept for the caller), is thrown as {@code failure} of a message that says which; a failed
   * future stays an {@link ExecutionException} for the caller to read.
   */
  public static <T> T get(
      Future<T> future,
      Duration timeout,
      BiFunction<String, Throwable, ? extends RuntimeException> failure)
      throws ExecutionException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw failure.apply("no answer within " + KubeDuration.format(timeout), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.apply("interrupted", e);
    }
  }
}
