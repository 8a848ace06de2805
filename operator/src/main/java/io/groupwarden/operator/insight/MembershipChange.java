package io.groupwarden.operator.insight;

import java.time.Instant;

/**
 * Something that changed in a group between two evaluations: a member joined or left, or the group
 * changed state. What a group's live feed pushes as a notification.
 *
 * @param kind {@code member-joined}, {@code member-left} or {@code state-change}
 * @param at when the evaluation that saw it sampled the group
 * @param member the member's identity (instance id, else member id); null for a state change
 * @param clientId the member's client id; null for a state change
 * @param host the member's host; null for a state change
 * @param from the previous state (state change only)
 * @param to the new state (state change only)
 */
public record MembershipChange(
    String kind, Instant at, String member, String clientId, String host, String from, String to) {
  public static final String MEMBER_JOINED = "member-joined";
  public static final String MEMBER_LEFT = "member-left";
  public static final String STATE_CHANGE = "state-change";
}
