package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.groupwarden.operator.insight.MembershipChange;
import java.time.Instant;

/**
 * A membership or state change of a group, and a notification of its live feed.
 *
 * @param type {@code member-joined}, {@code member-left} or {@code state-change}
 * @param cluster {@code namespace/policy}
 * @param group the group
 * @param at when the evaluation that saw it sampled the group
 * @param member the member's identity (members only)
 * @param from the previous state (state changes only)
 * @param to the new state (state changes only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeView(
    String type,
    String cluster,
    String group,
    Instant at,
    String member,
    String clientId,
    String host,
    String from,
    String to) {
  public static ChangeView of(String cluster, String group, MembershipChange c) {
    return new ChangeView(
        c.kind(), cluster, group, c.at(), c.member(), c.clientId(), c.host(), c.from(), c.to());
  }
}
