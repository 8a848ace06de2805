package io.groupwarden.coordinator.group;

import java.util.Locale;

/** The protocol a group's members speak: the classic JoinGroup/SyncGroup one or KIP-848's. */
public enum GroupType {
  CLASSIC("classic"),
  CONSUMER("consumer");

  private final String wireName;

  GroupType(String wireName) {
    this.wireName = wireName;
  }

  /** The name ListGroups and DescribeGroups use ("classic", "consumer"). */
  public String wireName() {
    return wireName;
  }

  public static GroupType fromWireName(String name) {
    for (GroupType type : values()) {
      if (type.wireName.equals(name.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    return null;
  }
}
