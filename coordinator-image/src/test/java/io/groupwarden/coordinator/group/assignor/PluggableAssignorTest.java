package io.groupwarden.coordinator.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.CoordinatorConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An assignor written against Kafka's public interface is loaded by class name. */
class PluggableAssignorTest {
  @Test
  void aClassNameInTheListIsLoadedAndServedUnderItsOwnName() {
    Assignors assignors = Assignors.parse(List.of("uniform", AllToFirstAssignor.class.getName()));

    assertThat(assignors.names()).containsExactly("uniform", "all-to-first");
    assertThat(assignors.get("all-to-first")).isInstanceOf(AllToFirstAssignor.class);
    assertThat(assignors.defaultAssignor().name()).isEqualTo("uniform");
  }

  @Test
  void aClassThatCannotBeLoadedOrIsNoAssignorIsRefusedByName() {
    assertThatThrownBy(() -> Assignors.parse(List.of("com.example.Missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("com.example.Missing");
    assertThatThrownBy(() -> Assignors.parse(List.of("java.lang.String")))
        .hasMessageContaining("does not implement");
    assertThatThrownBy(
            () ->
                CoordinatorConfig.parse(
                    new String[] {"--group-consumer-assignors", "uniform,nope.Nope"}, Map.of()))
        .hasMessageContaining("--group-consumer-assignors")
        .hasMessageContaining("nope.Nope");
  }
}
