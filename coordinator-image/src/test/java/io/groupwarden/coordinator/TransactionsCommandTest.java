package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.KafkaTools;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own {@code kafka-transactions} tool ({@code TransactionsCommand} of kafka-tools 4.3.1, as
 * a child process) lists and describes the broker's transactions and the producers of a partition.
 */
class TransactionsCommandTest {
  static final String TOOL = "org.apache.kafka.tools.TransactionsCommand";
  static RunningCoordinator broker;
  static Admin admin;

  @BeforeAll
  static void start() throws Exception {
    broker = RunningCoordinator.start();
    admin = Clients.admin(broker.bootstrapServers());
    admin.createTopics(List.of(new NewTopic("tool-txn", 2, (short) 1))).all().get();
  }

  @AfterAll
  static void stop() {
    admin.close();
    broker.close();
  }

  static String run(String... arguments) {
    return KafkaTools.run(TOOL, broker.bootstrapServers(), arguments);
  }

  /** The data rows of the tool's table whose first columns match. */
  static List<String> rowsWith(String output, String text) {
    return output.lines().filter(line -> line.contains(text)).toList();
  }

  @Test
  void listsDescribesAndShowsTheProducersOfAnOpenTransaction() throws Exception {
    try (KafkaProducer<String, String> producer =
        Clients.producer(
            broker.bootstrapServers(),
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tool-transaction"))) {
      producer.initTransactions();
      producer.beginTransaction();
      RecordMetadata written = producer.send(new ProducerRecord<>("tool-txn", 1, "k", "v")).get();

      String listed = run("list");
      assertThat(listed).contains("TransactionalId").contains("TransactionState");
      assertThat(rowsWith(listed, "tool-transaction"))
          .singleElement()
          .asString()
          .contains("Ongoing");

      String described = run("describe", "--transactional-id", "tool-transaction");
      assertThat(rowsWith(described, "tool-transaction"))
          .singleElement()
          .asString()
          .contains("Ongoing")
          .contains("tool-txn-1");

      String producers = run("describe-producers", "--topic", "tool-txn", "--partition", "1");
      assertThat(producers).contains("CurrentTransactionStartOffset");
      assertThat(producers.lines().skip(1).toList())
          .as("one producer, its transaction open from the offset it wrote at")
          .anySatisfy(
              row -> {
                String[] columns = row.trim().split("\\s+");
                assertThat(columns[columns.length - 1]).isEqualTo(String.valueOf(written.offset()));
              });

      producer.commitTransaction();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        rowsWith(
                            run("describe", "--transactional-id", "tool-transaction"),
                            "tool-transaction"))
                    .singleElement()
                    .asString()
                    .contains("CompleteCommit"));
    assertThat(run("list", "--state", "Ongoing")).doesNotContain("tool-transaction");
  }
}
