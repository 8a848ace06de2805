package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.runtime.EnumKeys;

/**
 * Where a consumer-protocol member is in reaching its target assignment; the values are those of
 * Kafka's {@code ConsumerGroupCurrentMemberAssignmentValue.state}.
 */
public enum MemberState {
  /** It must first give up partitions (revoke them) before it moves to the next epoch. */
  UNREVOKED_PARTITIONS((byte) 0),
  /** It is at the target epoch but waits for partitions that other members still own. */
  UNRELEASED_PARTITIONS((byte) 1),
  /** It owns exactly its target assignment. */
  STABLE((byte) 2);

  private final byte value;

  MemberState(byte value) {
    this.value = value;
  }

  public byte value() {
    return value;
  }

  public static MemberState fromValue(byte value) {
    return EnumKeys.byId(MemberState.class, MemberState::value, value, "member state");
  }
}
