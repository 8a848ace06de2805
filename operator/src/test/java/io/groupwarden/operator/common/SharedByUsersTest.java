package io.groupwarden.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedByUsersTest {
  /** Clients that are strings naming their key and the order they were opened in. */
  private static final class Named extends SharedByUsers<String, String> {
    int opened;
    final List<String> closed = new ArrayList<>();

    @Override
    protected String open(String key) {
      return key + "#" + ++opened;
    }

    @Override
    protected void close(String key, String client) {
      closed.add(client);
    }
  }

  private final Named clients = new Named();

  @Test
  void usersOfOneKeyShareOneClientUntilTheLastLetsGo() {
    String first = clients.acquire("policy/a", "kafka:9092");
    String second = clients.acquire("monitor/b", "kafka:9092");

    assertThat(second).isSameAs(first);
    assertThat(clients.openClients()).isEqualTo(1);
    clients.release("policy/a");
    assertThat(clients.closed).isEmpty();
    clients.release("monitor/b");
    assertThat(clients.closed).containsExactly("kafka:9092#1");
    assertThat(clients.openClients()).isZero();
  }

  @Test
  void aUserHoldsOneKeyAtATime() {
    clients.acquire("policy/a", "old:9092");
    String now = clients.acquire("policy/a", "new:9092");

    assertThat(clients.closed).containsExactly("old:9092#1");
    assertThat(clients.heldBy("policy/a")).isEqualTo("new:9092");
    assertThat(clients.acquire("policy/a", "new:9092")).isSameAs(now);
    assertThat(clients.opened).isEqualTo(2);
  }

  @Test
  void releasingWhatNobodyHoldsChangesNothing() {
    clients.acquire("policy/a", "kafka:9092");

    clients.release("monitor/unknown");

    assertThat(clients.openClients()).isEqualTo(1);
    assertThat(clients.heldBy("monitor/unknown")).isNull();
  }

  @Test
  void closeAllClosesEveryClientWhoeverHoldsIt() {
    clients.acquire("policy/a", "one:9092");
    clients.acquire("policy/b", "two:9092");

    clients.closeAll();

    assertThat(clients.closed).containsExactlyInAnyOrder("one:9092#1", "two:9092#2");
    assertThat(clients.openClients()).isZero();
    assertThat(clients.heldBy("policy/a")).isNull();
  }
}
