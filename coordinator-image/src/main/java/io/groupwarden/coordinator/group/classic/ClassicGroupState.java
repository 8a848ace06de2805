package io.groupwarden.coordinator.group.classic;

import io.groupwarden.coordinator.runtime.EnumKeys;
import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic consumer group and which state each may be entered from.
 *
 * <ul>
 *   <li>{@code EMPTY}: no members; offsets are kept. A joining member starts a rebalance.
 *   <li>{@code PREPARING_REBALANCE}: collecting JoinGroup requests from the members.
 *   <li>{@code COMPLETING_REBALANCE}: members know the generation; waiting for the leader's
 *       assignment in SyncGroup.
 *   <li>{@code STABLE}: everyone has an assignment and heartbeats.
 *   <li>{@code DEAD}: removed; nothing leaves this state.
 * </ul>
 */
public enum ClassicGroupState {
  EMPTY("Empty"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  STABLE("Stable"),
  DEAD("Dead");

  private final String wireName;
  private Set<ClassicGroupState> enteredFrom;

  static {
    EMPTY.enteredFrom = EnumSet.of(PREPARING_REBALANCE);
    PREPARING_REBALANCE.enteredFrom = EnumSet.of(EMPTY, STABLE, COMPLETING_REBALANCE);
    COMPLETING_REBALANCE.enteredFrom = EnumSet.of(PREPARING_REBALANCE);
    STABLE.enteredFrom = EnumSet.of(COMPLETING_REBALANCE);
    DEAD.enteredFrom = EnumSet.allOf(ClassicGroupState.class);
  }

  ClassicGroupState(String wireName) {
    this.wireName = wireName;
  }

  /** The name Kafka's APIs use ("PreparingRebalance", ...). */
  public String wireName() {
    return wireName;
  }

  public boolean canBeEnteredFrom(ClassicGroupState previous) {
    return enteredFrom.contains(previous);
  }

  /** Parses a state filter of ListGroups, which is case-insensitive. */
  public static ClassicGroupState fromWireName(String name) {
    return EnumKeys.byNameIgnoringCase(ClassicGroupState.class, ClassicGroupState::wireName, name);
  }
}
