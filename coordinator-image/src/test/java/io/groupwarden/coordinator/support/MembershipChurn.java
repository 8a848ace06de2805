package io.groupwarden.coordinator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Every record is consumed exactly once while a group's members leave, crash and join: members
 * "member-a" and "member-b" in this JVM and a {@link ChildConsumerMain} share a six-partition
 * topic; 100,000 records are produced in four rounds, between which member-b leaves, the child is
 * frozen and killed with SIGKILL (only the session timeout tells the broker), and "member-d" joins.
 * The same scenario serves the classic and the consumer (KIP-848) group protocols.
 */
public record MembershipChurn(
    String bootstrap,
    String group,
    String topic,
    int childSessionTimeoutMs,
    String childGroupProtocol) {
  /** More checks, run after the scenario's own while its members are still in the group. */
  @FunctionalInterface
  public interface Check {
    void verify(KilledChild child) throws Exception;
  }

  /** The member in the child JVM: its output, and when it was killed (wall-clock milliseconds). */
  public record KilledChild(Path log, long killedAt) {
    /** The child's complete output lines. */
    public List<String> lines() throws IOException {
      return completeLines(log);
    }
  }

  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(120);

  /**
   * Runs the scenario with members made by {@code newMember} from a member's name. {@code topic}
   * must exist with six partitions; the child consumer uses {@code childGroupProtocol} ("classic"
   * or "consumer") and, with the classic protocol, {@code childSessionTimeoutMs}.
   */
  public void run(Function<String, GroupMemberThread> newMember, Check then) throws Exception {
    Path childLog = Files.createTempFile("child-consumer", ".log");
    Process child =
        TestClasspath.startMain(
            ChildConsumerMain.class,
            "256m",
            childLog,
            bootstrap,
            group,
            topic,
            String.valueOf(childSessionTimeoutMs),
            childGroupProtocol);
    GroupMemberThread a = newMember.apply("member-a");
    GroupMemberThread b = newMember.apply("member-b");
    GroupMemberThread d = null;
    try (KafkaProducer<String, String> producer =
        Clients.producer(bootstrap, Map.of("batch.size", 65536))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> completeLines(childLog).contains("STARTED"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  !a.owned().isEmpty()
                      && !b.owned().isEmpty()
                      && a.owned().size() + b.owned().size() < 6);

      produce(producer, 0, 25_000);
      awaitConsumed(25_000, childLog, a, b);

      b.close(); // leaves the group
      produce(producer, 25_000, 25_000);
      awaitConsumed(50_000, childLog, a, b);

      child.getOutputStream().write("freeze\n".getBytes(StandardCharsets.UTF_8));
      child.getOutputStream().flush();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> completeLines(childLog).contains("FROZEN"));
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: only the session timeout
      long childKilledAt = System.currentTimeMillis();
      produce(producer, 50_000, 20_000);
      awaitConsumed(70_000, childLog, a, b);
      assertThat(a.owned()).hasSize(6);

      d = newMember.apply("member-d");
      GroupMemberThread joined = d;
      await().atMost(Duration.ofSeconds(30)).until(() -> !joined.owned().isEmpty());
      produce(producer, 70_000, 30_000);
      awaitConsumed(100_000, childLog, a, b, d);

      assertThat(allConsumed(childLog, a, b, d)).hasSize(100_000).doesNotHaveDuplicates();
      assertThat(a.failure()).isNull();
      assertThat(d.owned()).isNotEmpty();
      then.verify(new KilledChild(childLog, childKilledAt));
    } finally {
      child.destroyForcibly();
      a.close();
      if (d != null) {
        d.close();
      }
    }
  }

  private static List<String> completeLines(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private void produce(KafkaProducer<String, String> producer, int from, int count) {
    for (int i = from; i < from + count; i++) {
      producer.send(new ProducerRecord<>(topic, Integer.toString(i), "record-" + i));
    }
    producer.flush();
  }

  private static void awaitConsumed(int total, Path childLog, GroupMemberThread... members) {
    await()
        .atMost(CATCH_UP_LIMIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> allConsumed(childLog, members).size() >= total);
  }

  /** "partition:offset" of every record whose commit succeeded, by any member. */
  private static List<String> allConsumed(Path childLog, GroupMemberThread... members)
      throws IOException {
    List<String> all = new ArrayList<>();
    for (GroupMemberThread member : members) {
      if (member != null) {
        all.addAll(member.consumed());
      }
    }
    for (String line : completeLines(childLog)) {
      if (line.matches("\\d+:\\d+")) {
        all.add(line);
      }
    }
    return all;
  }
}
