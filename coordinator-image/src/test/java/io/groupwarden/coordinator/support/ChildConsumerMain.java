package io.groupwarden.coordinator.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A group member in its own process, to be killed with SIGKILL. It prints "partition:offset" of
 * each record after that record's commit succeeded; on "freeze" from stdin it finishes its batch,
 * prints FROZEN and stops polling (its heartbeat thread goes on) so the kill lands at a known
 * point.
 */
public final class ChildConsumerMain {
  private ChildConsumerMain() {}

  /**
   * "ASSIGNED millis 0,3" / "REVOKED millis 1": what the rebalance listener was told and when, for
   * the parent's {@link OwnershipLog}.
   */
  private static void report(String what, java.util.Collection<TopicPartition> partitions) {
    StringBuilder line =
        new StringBuilder(what).append(' ').append(System.currentTimeMillis()).append(' ');
    partitions.forEach(tp -> line.append(tp.partition()).append(','));
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String group = args[1];
    String topic = args[2];
    int sessionTimeoutMs = Integer.parseInt(args[3]);
    String groupProtocol = args.length > 4 ? args[4] : "classic";
    AtomicBoolean freeze = new AtomicBoolean();
    Thread stdin =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.trim().equals("freeze")) {
                    freeze.set(true);
                  }
                }
              } catch (Exception e) {
                // parent went away
              }
            });
    stdin.setDaemon(true);
    stdin.start();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
    if (groupProtocol.equals("classic")) {
      // With the consumer protocol the broker decides these.
      props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
      props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, sessionTimeoutMs / 4);
    }
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "child-consumer");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(
          List.of(topic),
          new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
              report("REVOKED", partitions);
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
              report("ASSIGNED", partitions);
            }
          });
      System.out.println("STARTED");
      System.out.flush();
      while (!freeze.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        StringBuilder out = new StringBuilder();
        for (ConsumerRecord<String, String> record : records) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          first.putIfAbsent(tp, record.offset());
          commit.put(tp, new OffsetAndMetadata(record.offset() + 1));
          out.append(record.partition()).append(':').append(record.offset()).append('\n');
        }
        try {
          consumer.commitSync(commit);
          System.out.print(out);
          System.out.flush();
        } catch (RuntimeException e) {
          first.forEach(
              (tp, offset) -> {
                if (consumer.assignment().contains(tp)) {
                  consumer.seek(tp, offset);
                }
              });
        }
      }
      System.out.println("FROZEN");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
