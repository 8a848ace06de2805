package io.groupwarden.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedByUsersTest {
  private final AtomicInteger opened = new AtomicInteger();
  private final List<String> closed = new ArrayList<>();
  private final SharedByUsers<String, String> clients =
      new SharedByUsers<>(
          key -> key + "#" + opened.incrementAndGet(), (key, client) -> closed.add(client));

  @Test
  void usersOfOneKeyShareOneClientUntilTheLastLetsGo() {
    String first = clients.acquire("policy/a", "kafka:9092");
    String second = clients.acquire("monitor/b", "kafka:9092");

    assertThat(second).isSameAs(first);
    assertThat(clients.open()).isEqualTo(1);
    clients.release("policy/a");
    assertThat(closed).isEmpty();
    clients.release("monitor/b");
    assertThat(closed).containsExactly("kafka:9092#1");
    assertThat(clients.open()).isZero();
  }

  @Test
  void aUserHoldsOneKeyAtATime() {
    clients.acquire("policy/a", "old:9092");
    String now = clients.acquire("policy/a", "new:9092");

    assertThat(closed).containsExactly("old:9092#1");
    assertThat(clients.heldBy("policy/a")).isEqualTo("new:9092");
    assertThat(clients.acquire("policy/a", "new:9092")).isSameAs(now);
    assertThat(opened).hasValue(2);
  }

  @Test
  void releasingWhatNobodyHoldsChangesNothing() {
    clients.acquire("policy/a", "kafka:9092");

    clients.release("monitor/unknown");

    assertThat(clients.open()).isEqualTo(1);
    assertThat(clients.heldBy("monitor/unknown")).isNull();
  }

  @Test
  void closeAllClosesEveryClientWhoeverHoldsIt() {
    clients.acquire("policy/a", "one:9092");
    clients.acquire("policy/b", "two:9092");

    clients.closeAll();

    assertThat(closed).containsExactlyInAnyOrder("one:9092#1", "two:9092#2");
    assertThat(clients.open()).isZero();
    assertThat(clients.heldBy("policy/a")).isNull();
  }
}
