package io.groupwarden.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void eachRetryWaitsTwiceAsLongUpToTheCeiling() {
    assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.delayBefore(1_000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void maxRetriesFollowTheFirstAttempt() {
    assertThat(policy.allowsRetryAfter(1)).isTrue();
    assertThat(policy.allowsRetryAfter(3)).isTrue();
    assertThat(policy.allowsRetryAfter(4)).isFalse();
    assertThat(new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)).allowsRetryAfter(1))
        .isFalse();
  }
}
