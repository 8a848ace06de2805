package io.groupwarden.operator.benchmark;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the benchmark's resources as a user's {@code kubectl get -w} would: when each got its
 * first status, and how many status writes arrive (every change of a resource after its creation is
 * one, since the operator writes nothing else to them).
 */
final class StatusWatch implements AutoCloseable {
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> firstStatus = new ConcurrentHashMap<>();
  private final Map<String, Long> firstWriteSinceMark = new ConcurrentHashMap<>();
  private final AtomicLong writes = new AtomicLong();
  private volatile long markNanos = Long.MAX_VALUE;

  StatusWatch(KubernetesClient client) {
    watch(client, ConsumerGroupPolicy.class);
    watch(client, LagMonitor.class);
    watch(client, MongoSink.class);
  }

  static String key(HasMetadata resource) {
    return resource.getKind() + "/" + resource.getMetadata().getName();
  }

  private <T extends HasMetadata> void watch(KubernetesClient client, Class<T> type) {
    informers.add(
        client
            .resources(type)
            .inNamespace(BenchmarkResources.NAMESPACE)
            .inform(
                new ResourceEventHandler<T>() {
                  @Override
                  public void onAdd(T resource) {
                    seen(resource);
                  }

                  @Override
                  public void onUpdate(T before, T after) {
                    if (!Objects.equals(
                        before.getMetadata().getResourceVersion(),
                        after.getMetadata().getResourceVersion())) {
                      writes.incrementAndGet();
                      long now = System.nanoTime();
                      if (now >= markNanos) {
                        firstWriteSinceMark.putIfAbsent(key(after), now);
                      }
                    }
                    seen(after);
                  }

                  @Override
                  public void onDelete(T resource, boolean unknownFinalState) {}
                },
                0));
  }

  private void seen(HasMetadata resource) {
    Object status = null;
    if (resource instanceof ConsumerGroupPolicy policy) {
      status = policy.getStatus();
    } else if (resource instanceof LagMonitor monitor) {
      status = monitor.getStatus();
    } else if (resource instanceof MongoSink sink) {
      status = sink.getStatus();
    }
    if (status != null) {
      firstStatus.putIfAbsent(key(resource), System.nanoTime());
    }
  }

  /** Notes that a resource was created now (just after the API server took it). */
  void created(String key, long nanos) {
    created.put(key, nanos);
  }

  /** Status writes seen so far. */
  long writes() {
    return writes.get();
  }

  int withStatus() {
    return firstStatus.size();
  }

  /** From now on, notes each resource's first status write (e.g. after an operator restart). */
  void mark() {
    firstWriteSinceMark.clear();
    markNanos = System.nanoTime();
  }

  int writtenSinceMark() {
    return firstWriteSinceMark.size();
  }

  /** Milliseconds from the mark to each resource's first status write since. */
  List<Double> millisToFirstWriteSinceMark() {
    return firstWriteSinceMark.values().stream().map(t -> (t - markNanos) / 1e6).toList();
  }

  /** Milliseconds from creation to first status of every created resource that has one. */
  List<Double> millisToFirstStatus(String kindPrefix) {
    List<Double> result = new ArrayList<>();
    created.forEach(
        (key, at) -> {
          Long status = firstStatus.get(key);
          if (status != null && key.startsWith(kindPrefix)) {
            result.add((status - at) / 1e6);
          }
        });
    return result;
  }

  boolean allHaveStatus() {
    return firstStatus.keySet().containsAll(created.keySet());
  }

  int createdCount() {
    return created.size();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
