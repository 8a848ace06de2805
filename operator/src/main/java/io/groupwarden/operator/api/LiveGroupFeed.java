package io.groupwarden.operator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.http.ErrorBody;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.WebSocketFeed;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code WS /ws/consumers/groups/{group}/live?cluster=&interval=10}: the group's detail, sent at
 * once and then every interval (1 to 300 seconds). The group is found before the upgrade, so an
 * unknown or ambiguous group is a plain HTTP error; a group that goes away later is reported in the
 * feed as {@code {"error": ...}}.
 */
final class LiveGroupFeed {
  private final GroupsHandler groups;
  private final PolicyClusters clusters;
  private final ObjectMapper json;

  LiveGroupFeed(GroupsHandler groups, PolicyClusters clusters, ObjectMapper json) {
    this.groups = groups;
    this.clusters = clusters;
    this.json = json;
  }

  WebSocketFeed open(Request request) {
    String groupId = request.pathParam("group");
    String cluster = clusters.locate(groupId, request.query("cluster", null)).policy().cluster();
    long seconds = request.queryLong("interval", 10, 1, 300);
    return WebSocketFeed.every(Duration.ofSeconds(seconds), () -> snapshot(groupId, cluster));
  }

  private String snapshot(String groupId, String cluster) {
    Object message;
    try {
      message = groups.view(groupId, cluster);
    } catch (HttpError e) {
      message = new ErrorBody(e.getMessage());
    }
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
