package io.groupwarden.operator.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The peer: a kafka-lag-exporter-style collection loop. Every interval, for every group, one {@code
 * listConsumerGroupOffsets} and then one {@code listOffsets} (latest) for the partitions the group
 * committed, and the lag is their difference. The calls of all groups are issued without waiting
 * for each other, as that exporter's futures are, through one admin client. Prints each cycle's
 * duration and total lag.
 *
 * <p>Arguments: bootstrap servers, group count, interval in milliseconds.
 */
public final class PerGroupLagLoop {
  private PerGroupLagLoop() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    int groups = Integer.parseInt(args[1]);
    Duration interval = Duration.ofMillis(Long.parseLong(args[2]));
    List<String> ids = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      ids.add(ScaleWorkload.group(g));
    }
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "per-group-lag-loop"))) {
      for (int cycle = 0; ; cycle++) {
        long start = System.nanoTime();
        long lag = collect(admin, ids);
        long elapsed = System.nanoTime() - start;
        System.out.printf("CYCLE %d %.1f ms lag=%d%n", cycle, elapsed / 1e6, lag);
        long sleep = interval.toNanos() - elapsed;
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
      }
    }
  }

  private static long collect(Admin admin, List<String> ids) throws Exception {
    Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> committed = new HashMap<>();
    for (String id : ids) {
      committed.put(id, admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata());
    }
    Map<String, ListOffsetsResult> latest = new HashMap<>();
    Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new HashMap<>();
    for (String id : ids) {
      Map<TopicPartition, OffsetAndMetadata> groupOffsets =
          committed.get(id).get(1, TimeUnit.MINUTES);
      offsets.put(id, groupOffsets);
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      groupOffsets.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
      latest.put(id, admin.listOffsets(request));
    }
    long total = 0;
    for (String id : ids) {
      var ends = latest.get(id).all().get(1, TimeUnit.MINUTES);
      for (var entry : offsets.get(id).entrySet()) {
        total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
      }
    }
    return total;
  }
}
