package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes writes durable in groups: callers ask for a sync and get a future; one thread drains every
 * request that arrived meanwhile and forces each file once for all of them. Under load a single
 * fsync acknowledges hundreds of produce requests and offset commits.
 */
public final class FsyncBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FsyncBatcher.class);

  /** Something that can force what was written to it so far onto the disk. */
  public interface Durable {
    void sync() throws IOException;
  }

  private record Request(Durable target, CompletableFuture<Void> done) {}

  private static final Request STOP = new Request(null, null);

  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  public FsyncBatcher() {
    thread = new Thread(this::run, "fsync-batcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Completes once everything written to {@code target} before this call is on disk. */
  public CompletableFuture<Void> sync(Durable target) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("the broker is shutting down"));
      return done;
    }
    queue.add(new Request(target, done));
    return done;
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      Map<Durable, List<CompletableFuture<Void>>> byTarget = new LinkedHashMap<>();
      boolean stop = false;
      for (Request request : batch) {
        if (request == STOP) {
          stop = true;
        } else {
          byTarget.computeIfAbsent(request.target(), t -> new ArrayList<>()).add(request.done());
        }
      }
      batch.clear();
      for (Map.Entry<Durable, List<CompletableFuture<Void>>> entry : byTarget.entrySet()) {
        try {
          entry.getKey().sync();
          entry.getValue().forEach(f -> f.complete(null));
        } catch (IOException | RuntimeException e) {
          LOG.error("fsync failed for {}", entry.getKey(), e);
          entry.getValue().forEach(f -> f.completeExceptionally(e));
        }
      }
      if (stop) {
        return;
      }
    }
  }

  /** Syncs what is queued, then stops the thread. */
  @Override
  public void close() {
    closed = true;
    queue.add(STOP);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
