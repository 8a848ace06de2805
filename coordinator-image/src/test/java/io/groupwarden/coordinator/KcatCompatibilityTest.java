package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** librdkafka (through kcat) produces, lists metadata and consumes in a group. */
class KcatCompatibilityTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  static String kcat(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("kcat", ".out");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat finished").isTrue();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void kcatProducesListsAndConsumesInAGroup() throws Exception {
    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic("kcat-topic", 2, (short) 1))).all().get();
    }
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      lines.append("message-").append(i).append('\n');
    }
    kcat(lines.toString(), "-P", "-t", "kcat-topic", "-X", "acks=all");

    String metadata = kcat(null, "-L", "-t", "kcat-topic");
    assertThat(metadata).contains("topic \"kcat-topic\" with 2 partitions");

    String consumed =
        kcat(
            null,
            "-G",
            "kcat-group",
            "-o",
            "beginning",
            "-e",
            "-X",
            "auto.offset.reset=earliest",
            "kcat-topic");
    assertThat(consumed.lines().filter(l -> l.startsWith("message-")).toList()).hasSize(50);

    // Without a group, over both partitions (librdkafka's sticky partitioner may use just one).
    String plain =
        kcat(null, "-C", "-t", "kcat-topic", "-o", "beginning", "-e", "-f", "%p %o %s\\n");
    assertThat(plain.lines().filter(l -> l.matches("[01] \\d+ message-\\d+"))).hasSize(50);

    // librdkafka committed what it consumed when it closed; the Java admin client sees the group
    // and its offsets at the end of the partitions that hold records.
    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets("kcat-group").partitionsToOffsetAndMetadata().get();
      // librdkafka's sticky partitioner may have left a partition empty: it has nothing to commit.
      for (int partition = 0; partition < 2; partition++) {
        TopicPartition tp = new TopicPartition("kcat-topic", partition);
        long end =
            admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        if (end > 0) {
          assertThat(offsets.get(tp)).as("offset of %s", tp).isNotNull();
          assertThat(offsets.get(tp).offset()).as("offset of %s", tp).isEqualTo(end);
        }
      }
      assertThat(offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .isEqualTo(50);
      assertThat(Clients.describeGroup(admin, "kcat-group").groupState())
          .isEqualTo(GroupState.EMPTY);
    }
  }
}
