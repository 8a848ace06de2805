package io.groupwarden.operator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupwarden.common.DaemonThreads;
import io.groupwarden.http.ErrorBody;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.WebSocketFeed;
import io.groupwarden.http.WebSocketSession;
import io.groupwarden.operator.api.view.ChangeView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.insight.MembershipChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live WebSocket feeds. Each sends its subject at once and then every interval (1 to 300
 * seconds) as a message with {@code "type": "group"} or {@code "cluster"}, and, as they are seen,
 * the membership and state changes of its groups as messages with {@code "type": "member-joined"},
 * {@code "member-left"} or {@code "state-change"}. A subject that goes away is reported in the feed
 * as {@code {"error": ...}}.
 *
 * <ul>
 *   <li>{@code WS /ws/consumers/groups/{group}/live?cluster=&interval=10}: one group's detail
 *   <li>{@code WS /ws/clusters/{namespace}/{policy}/live?interval=10}: a cluster and its groups
 * </ul>
 */
record LiveFeeds(
    GroupsHandler groups,
    ClustersHandler clusterViews,
    PolicyClusters clusters,
    InsightStore store,
    ObjectMapper json) {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeeds.class);
  private static final ScheduledExecutorService TICKER =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("insight-feeds"));

  WebSocketFeed group(Request request) {
    String groupId = request.pathParam("group");
    String cluster = clusters.locate(groupId, request.query("cluster", null)).policy().cluster();
    long seconds = request.queryLong("interval", 10, 1, 300);
    return feed(seconds, () -> groups.view(groupId, cluster), "group", cluster, List.of(groupId));
  }

  WebSocketFeed cluster(Request request) {
    String cluster = request.pathParam("namespace") + "/" + request.pathParam("policy");
    clusters.policies(cluster); // 404 before the upgrade when unknown
    long seconds = request.queryLong("interval", 10, 1, 300);
    return feed(seconds, () -> clusterViews.view(cluster), "cluster", cluster, null);
  }

  /**
   * A feed of {@code subject} every interval and of the changes of {@code groupIds} (every group of
   * the cluster when null) as they appear.
   */
  private WebSocketFeed feed(
      long seconds, Supplier<Object> subject, String type, String cluster, List<String> groupIds) {
    return session -> {
      Map<String, Instant> seenUpTo = new HashMap<>();
      for (String group : groupsOf(cluster, groupIds)) {
        List<MembershipChange> known = store.changes(cluster, group);
        if (!known.isEmpty()) {
          seenUpTo.put(group, known.get(known.size() - 1).at());
        }
      }
      ScheduledFuture<?> ticks =
          TICKER.scheduleAtFixedRate(
              () -> tick(session, subject, type, cluster, groupIds, seenUpTo),
              0,
              seconds,
              TimeUnit.SECONDS);
      return () -> ticks.cancel(false);
    };
  }

  private void tick(
      WebSocketSession session,
      Supplier<Object> subject,
      String type,
      String cluster,
      List<String> groupIds,
      Map<String, Instant> seenUpTo) {
    if (!session.isOpen()) {
      return;
    }
    try {
      Object message;
      try {
        ObjectNode node = json.valueToTree(subject.get());
        node.put("type", type);
        message = node;
      } catch (HttpError e) {
        message = new ErrorBody(e.getMessage());
      }
      session.send(json.writeValueAsString(message));
      for (String group : groupsOf(cluster, groupIds)) {
        Instant after = seenUpTo.get(group);
        for (MembershipChange change : store.changes(cluster, group)) {
          if (after == null || change.at().isAfter(after)) {
            session.send(json.writeValueAsString(ChangeView.of(cluster, group, change)));
            seenUpTo.put(group, change.at());
          }
        }
      }
    } catch (Exception e) {
      LOG.warn("A live feed failed and is closed", e);
      session.close();
    }
  }

  private List<String> groupsOf(String cluster, List<String> groupIds) {
    if (groupIds != null) {
      return groupIds;
    }
    PolicyView policy = store.policies().get(cluster);
    List<String> ids = new ArrayList<>();
    if (policy != null) {
      for (GroupEvaluation g : policy.groups()) {
        ids.add(g.groupId());
      }
    }
    return ids;
  }
}
