package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.log.LogCleaner;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.SegmentFiles;
import io.groupwarden.coordinator.log.TopicConfig;
import io.groupwarden.testkit.TempDirectories;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * What a partition keeps for the producers and the compaction it has seen: (1) the heap held by the
 * state of many short-lived idempotent producers, before and after they expire, and the CPU time of
 * the expiry pass; (2) the segment files a compacted topic with one key rewritten over and over
 * keeps after cleaning. Not a test: run it with {@code ./mvnw -B -pl coordinator-image -am -Pbench
 * -DskipTests verify -Dbench.main=io.groupwarden.coordinator.bench.LogStateBenchmark}.
 */
public final class LogStateBenchmark {
  static final int PRODUCERS = Integer.getInteger("bench.producers", 200_000);
  static final int REWRITES = Integer.getInteger("bench.rewrites", 20_000);
  static final long EXPIRATION_MS = 86_400_000L;

  private LogStateBenchmark() {}

  public static void main(String[] args) throws Exception {
    producers();
    compaction();
  }

  private static void producers() throws Exception {
    Path dir = TempDirectories.create("bench-producers-");
    AtomicLong now = new AtomicLong(1_000_000);
    TopicConfig config = new TopicConfig(-1, -1, 1 << 30, Long.MAX_VALUE, 1 << 20);
    try {
      PartitionLog log = open(dir, config, now);
      long before = heapAfterGc();
      for (int p = 0; p < PRODUCERS; p++) {
        log.append(
            MemoryRecords.withIdempotentRecords(
                Compression.NONE, 1_000L + p, (short) 0, 0, record("k", "v", now.get())));
      }
      long held = heapAfterGc() - before;
      now.addAndGet(EXPIRATION_MS);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu = threads.getCurrentThreadCpuTime();
      int expired = log.expireProducers(EXPIRATION_MS);
      double expiryMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
      long after = heapAfterGc() - before;
      System.out.printf(
          "producer states: %,d one-batch producers hold %,d bytes of heap (%,d per producer);"
              + " after expiry (%,d forgotten, %.1f ms CPU) %,d bytes; listed: %d%n",
          PRODUCERS, held, held / PRODUCERS, expired, expiryMs, after, log.producerStates().size());
      log.close();
    } finally {
      TempDirectories.delete(dir);
    }
  }

  private static void compaction() throws Exception {
    Path dir = TempDirectories.create("bench-compaction-");
    AtomicLong now = new AtomicLong(1_000_000);
    TopicConfig config =
        new TopicConfig(-1, -1, 16 * 1024, Long.MAX_VALUE, 1 << 20)
            .with(Map.of("cleanup.policy", "compact"));
    try {
      PartitionLog log = open(dir, config, now);
      LogCleaner cleaner = new LogCleaner(1_000_000);
      String value = "x".repeat(100);
      for (int i = 0; i < REWRITES; i++) {
        log.append(
            MemoryRecords.withRecords(Compression.NONE, record("the-key", value, now.get())));
      }
      log.sync();
      long segmentsBefore = files(dir, ".log");
      cleaner.clean(log, true);
      System.out.printf(
          "compaction: one key written %,d times in %,d-byte segments: %,d segment files before"
              + " cleaning, %,d after (%,d index files)%n",
          REWRITES,
          config.segmentBytes(),
          segmentsBefore,
          files(dir, ".log"),
          files(dir, ".index"));
      log.close();
    } finally {
      TempDirectories.delete(dir);
    }
  }

  private static PartitionLog open(Path dir, TopicConfig config, AtomicLong now) throws Exception {
    return PartitionLog.open(
        new TopicPartition("bench", 0), dir, () -> config, now::get, new SegmentFiles(16));
  }

  private static SimpleRecord record(String key, String value, long timestamp) {
    return new SimpleRecord(
        timestamp, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  private static long files(Path dir, String suffix) throws Exception {
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
