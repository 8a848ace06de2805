package io.groupwarden.coordinator.group.assignor;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;

/** A member's partitions by topic id, as assignors return them (an unmodifiable map). */
record MemberPartitions(Map<Uuid, Set<Integer>> partitions) implements MemberAssignment {}
