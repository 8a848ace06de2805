package io.groupwarden.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SaslJaasTest {
  @Test
  void plainAndScramUseTheirLoginModules() {
    assertThat(SaslJaas.config("PLAIN", "alice", "secret"))
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"secret\";");
    assertThat(SaslJaas.config("SCRAM-SHA-512", "bob", "pw"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"bob\" password=\"pw\";");
  }

  @Test
  void quotesAndBackslashesInValuesAreEscaped() {
    assertThat(SaslJaas.config("SCRAM-SHA-256", "u\"1", "p\\\"q"))
        .endsWith(" username=\"u\\\"1\" password=\"p\\\\\\\"q\";");
  }
}
