package io.groupwarden.coordinator.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce application, as the exactly-once documentation of Kafka writes it:
 * each polled batch is transformed, produced and its input offsets committed in one transaction.
 * Runs in its own process so it can be killed with SIGKILL; its transactional id and its static
 * group membership are fixed, so a restarted instance takes over at once and fences the old one.
 *
 * <p>Arguments: bootstrap servers, input topic, output topic, group, transactional id.
 */
public final class TransformAppMain {
  private TransformAppMain() {}

  /** The transformation: what the output must hold exactly once per input record. */
  public static String transform(String value) {
    return value.toUpperCase(java.util.Locale.ROOT) + "/transformed";
  }

  public static void main(String[] args) {
    String bootstrap = args[0];
    String input = args[1];
    String output = args[2];
    String group = args[3];
    String transactionalId = args[4];

    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerProps.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, transactionalId);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    consumerProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 5);

    try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      consumer.subscribe(List.of(input));
      long transactions = 0;
      while (true) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        try {
          producer.beginTransaction();
          Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
          for (ConsumerRecord<String, String> record : records) {
            producer.send(new ProducerRecord<>(output, record.key(), transform(record.value())));
            next.put(
                new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
          producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
          producer.commitTransaction();
          transactions++;
          if (transactions % 50 == 0) {
            System.out.println("COMMITTED " + transactions);
            System.out.flush();
          }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
          // another instance took over the transactional id: this one must stop
          System.out.println("FENCED " + e);
          System.exit(3);
        } catch (KafkaException e) {
          System.out.println("ABORTING " + e);
          System.out.flush();
          producer.abortTransaction();
          rewind(consumer);
        }
      }
    } catch (KafkaException e) {
      // a fatal error (the broker gone too long): exit so that the supervisor starts a new one
      System.out.println("FAILED " + e);
      System.exit(2);
    }
  }

  /** After an abort, consumes again from the offsets last committed. */
  private static void rewind(KafkaConsumer<String, String> consumer) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
    for (TopicPartition tp : consumer.assignment()) {
      OffsetAndMetadata offset = committed.get(tp);
      if (offset == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, offset.offset());
      }
    }
  }
}
