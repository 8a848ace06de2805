package io.groupwarden.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.group.classic.ClassicGroupState;
import io.groupwarden.coordinator.group.consumer.MemberState;
import io.groupwarden.coordinator.txn.TransactionState;
import org.junit.jupiter.api.Test;

class EnumKeysTest {

  @Test
  void findsAConstantByItsIdAndRefusesAnUnknownIdNamingWhatItIs() {
    assertThat(MemberState.fromValue((byte) 1)).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
    assertThat(TransactionState.fromId((byte) 7)).isEqualTo(TransactionState.PREPARE_EPOCH_FENCE);
    assertThatThrownBy(() -> MemberState.fromValue((byte) 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown member state 3");
    assertThatThrownBy(() -> TransactionState.fromId((byte) 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown transaction state id 8");
  }

  @Test
  void findsAConstantByItsNameInAnyCaseAndAnswersNullForAnUnknownName() {
    assertThat(TransactionState.fromDisplayName("completecommit"))
        .isEqualTo(TransactionState.COMPLETE_COMMIT);
    assertThat(ClassicGroupState.fromWireName("PREPARINGREBALANCE"))
        .isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    assertThat(TransactionState.fromDisplayName("Finished")).isNull();
    assertThat(ClassicGroupState.fromWireName("Assigning")).isNull();
  }
}
