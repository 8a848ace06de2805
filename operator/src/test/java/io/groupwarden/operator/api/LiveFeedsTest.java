package io.groupwarden.operator.api;

import static io.groupwarden.operator.governance.GroupEvaluationBuilder.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.http.HttpServer;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.insight.HistoryReader;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.Origin;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live feeds: a group's feed and a cluster's feed send their subject every interval and push a
 * member joining, a member leaving and a state change as notifications when an evaluation shows
 * them.
 */
class LiveFeedsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

  private final InsightStore store = new InsightStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<FeedSocket> sockets = new ArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    publish(0, "Stable", "worker-1");
    server = TestServers.start(store);
  }

  @AfterEach
  void stop() {
    sockets.forEach(FeedSocket::close);
    server.close();
  }

  /** Evaluation {@code t} of group billing with the given members. */
  private void publish(int t, String state, String... members) {
    List<MemberSample> samples = new ArrayList<>();
    for (String member : members) {
      samples.add(
          new MemberSample(
              member + "-id", member, member, "/10.0.0.9", List.of(new PartitionRef("orders", 0))));
    }
    GroupSample sample =
        new GroupSample("billing", T0.plusSeconds(t), state, "range", null, samples, List.of());
    store.publish(
        new PolicyView(
            "shop/orders",
            T0.plusSeconds(t),
            List.of(group("billing").members(members.length).state(state).build()),
            Map.of("billing", sample),
            null,
            HistoryReader.NONE,
            Origin.LEADER,
            null));
  }

  private FeedSocket open(String path) throws Exception {
    FeedSocket feed =
        FeedSocket.open(
            http, URI.create("ws://127.0.0.1:" + server.port() + path + "access_token=t0ken"));
    sockets.add(feed);
    return feed;
  }

  /** The next message of a type, skipping the periodic subject messages in between. */
  private static JsonNode next(FeedSocket feed, String type) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      JsonNode message = feed.poll(Duration.ofSeconds(1));
      if (message != null && message.path("type").asText().equals(type)) {
        return message;
      }
    }
    throw new AssertionError("no " + type + " message within 15 s");
  }

  @Test
  void theGroupFeedPushesMembersJoiningAndLeavingAndStateChanges() throws Exception {
    FeedSocket feed = open("/ws/consumers/groups/billing/live?cluster=shop/orders&interval=1&");
    JsonNode first = next(feed, "group");
    assertThat(first.path("group").path("members").asInt()).isEqualTo(1);
    assertThat(first.path("memberDetails").get(0).path("clientId").asText()).isEqualTo("worker-1");

    publish(1, "Stable", "worker-1", "worker-2");
    JsonNode joined = next(feed, "member-joined");
    assertThat(joined.path("member").asText()).isEqualTo("worker-2");
    assertThat(joined.path("group").asText()).isEqualTo("billing");
    assertThat(joined.path("cluster").asText()).isEqualTo("shop/orders");

    publish(2, "PreparingRebalance", "worker-2");
    JsonNode state = next(feed, "state-change");
    assertThat(state.path("from").asText()).isEqualTo("Stable");
    assertThat(state.path("to").asText()).isEqualTo("PreparingRebalance");
    JsonNode left = next(feed, "member-left");
    assertThat(left.path("member").asText()).isEqualTo("worker-1");
    assertThat(next(feed, "group").path("group").path("members").asInt()).isEqualTo(1);
  }

  @Test
  void theClusterFeedSendsTheClusterAndTheNotificationsOfItsGroups() throws Exception {
    FeedSocket feed = open("/ws/clusters/shop/orders/live?interval=1&");
    JsonNode first = next(feed, "cluster");
    assertThat(first.path("cluster").path("cluster").asText()).isEqualTo("shop/orders");
    assertThat(first.path("groups").get(0).path("groupId").asText()).isEqualTo("billing");

    publish(1, "Stable", "worker-1", "worker-3");
    assertThat(next(feed, "member-joined").path("member").asText()).isEqualTo("worker-3");
  }
}
