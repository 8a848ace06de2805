package io.groupwarden.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.MemberStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status names the members of groups up to a bounded size; larger groups list none there. */
class PolicyMemberStatusTest {

  private static GroupSample group(int members) {
    List<MemberSample> list = new ArrayList<>();
    for (int m = members - 1; m >= 0; m--) {
      List<PartitionRef> assignment = new ArrayList<>();
      for (int p = 0; p <= m % 3; p++) {
        assignment.add(new PartitionRef("orders", m * 3 + p));
      }
      list.add(new MemberSample("id-" + m, null, "client-" + m, "/10.0.0." + m, assignment));
    }
    return new GroupSample("g", Instant.EPOCH, "Stable", "range", null, list, List.of());
  }

  @Test
  void aSmallGroupsMembersAreNamedWithHostAndPartitionCount() {
    List<MemberStatus> members = PolicyStatusWriter.memberDetails(group(3));

    assertThat(members)
        .containsExactly(
            new MemberStatus("client-0", "/10.0.0.0", 1),
            new MemberStatus("client-1", "/10.0.0.1", 2),
            new MemberStatus("client-2", "/10.0.0.2", 3));
  }

  @Test
  void aGroupAboveTheBoundListsNoMembersInStatus() {
    assertThat(PolicyStatusWriter.memberDetails(group(PolicyStatusWriter.MAX_MEMBERS_LISTED)))
        .hasSize(PolicyStatusWriter.MAX_MEMBERS_LISTED);
    assertThat(PolicyStatusWriter.memberDetails(group(PolicyStatusWriter.MAX_MEMBERS_LISTED + 1)))
        .isNull();
    assertThat(PolicyStatusWriter.memberDetails(group(0))).isNull();
    assertThat(PolicyStatusWriter.memberDetails(null)).isNull();
  }
}
