package io.groupwarden.operator.startup;

/**
 * Gives {@code CompletableFuture}'s asynchronous stages a pool of threads on small machines.
 *
 * <p>The JDK runs a stage added without an executor on its common fork-join pool only when that
 * pool has two threads or more; with one or two CPUs the pool has one, and the JDK starts a new
 * thread for every such stage instead. The Kubernetes client's HTTP layer adds one per response, so
 * an operator on two CPUs started a thread for every API call it made (25,000 in five minutes at a
 * thousand resources). Setting the pool's size before anything uses it keeps those stages on pooled
 * threads; a size given on the command line is left alone.
 */
public final class AsyncThreads {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private AsyncThreads() {}

  /** Call first thing in {@code main}, before any class uses the common pool. */
  public static void usePooledThreads() {
    if (System.getProperty(PARALLELISM) == null) {
      int cpus = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, String.valueOf(Math.max(2, cpus - 1)));
    }
  }
}
