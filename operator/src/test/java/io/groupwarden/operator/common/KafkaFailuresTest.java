package io.groupwarden.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.operator.lag.KafkaUnavailableException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaFailuresTest {

  @Test
  void aClusterThatDoesNotAnswerIsUnreachableAndTheMessageSaysWhatCouldNotBeRead() {
    SpecProblem problem =
        KafkaFailures.asProblem(
            new KafkaUnavailableException("no answer within 3s", new TimeoutException()),
            () -> "consumer groups from kafka:9092");

    assertThat(problem.reason()).isEqualTo("KafkaUnreachable");
    assertThat(problem.getMessage())
        .isEqualTo("cannot read consumer groups from kafka:9092: no answer within 3s");
  }

  @Test
  void anAddressNoClientCanBeMadeFromNamesTheFieldAndTheInnermostCause() {
    KafkaException failure =
        new KafkaException(
            "Failed to create new KafkaAdminClient",
            new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"));

    SpecProblem problem =
        KafkaFailures.asProblem(
            failure,
            () -> {
              throw new AssertionError("what could not be read is not asked for");
            });

    assertThat(problem.reason()).isEqualTo("InvalidBootstrapServers");
    assertThat(problem.getMessage())
        .isEqualTo(
            "spec.kafka.bootstrapServers: No resolvable bootstrap urls given in bootstrap.servers");
  }

  @Test
  void aSpecProblemStaysWhatItIsAndAnythingElseIsNotHidden() {
    SpecProblem missing = new SpecProblem("SecretNotFound", "spec.kafka.sasl: Secret s not found");
    IllegalStateException bug = new IllegalStateException("a bug");

    assertThat(KafkaFailures.asProblem(missing, () -> "x")).isSameAs(missing);
    assertThatThrownBy(() -> KafkaFailures.asProblem(bug, () -> "x")).isSameAs(bug);
  }
}
