package io.groupwarden.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorSpec;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusPatchTest {

  @Test
  void aStatusPatchCarriesTheNameTheNamespaceAndTheStatusOnly() {
    LagMonitor monitor = new LagMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder()
            .withName("events")
            .withNamespace("platform")
            .withGeneration(7L)
            .withResourceVersion("123")
            .withLabels(Map.of("team", "platform"))
            .build());
    monitor.setSpec(new LagMonitorSpec(null, null, "10s", null));
    LagMonitorStatus status =
        new LagMonitorStatus(7L, List.of(), null, 0, null, null, null, null, null, null, null);

    LagMonitor patch = StatusPatch.of(monitor, status, LagMonitor::new);

    assertThat(patch).isNotSameAs(monitor);
    assertThat(patch.getMetadata().getName()).isEqualTo("events");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("platform");
    assertThat(patch.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(patch.getMetadata().getResourceVersion()).isNull();
    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getStatus()).isSameAs(status);
    assertThat(monitor.getStatus()).as("the received resource is left as it was").isNull();
  }

  @Test
  void theMetadataHelpersNameAResourceAndReadItsGeneration() {
    LagMonitor monitor = new LagMonitor();
    monitor.setMetadata(
        new ObjectMetaBuilder().withName("events").withNamespace("platform").build());

    assertThat(ResourceMeta.generation(monitor)).isZero();
    assertThat(ResourceMeta.namespacedName(monitor)).isEqualTo("platform/events");
    assertThat(ResourceMeta.owner(monitor)).isEqualTo("LagMonitor/platform/events");
    monitor.getMetadata().setGeneration(3L);
    assertThat(ResourceMeta.generation(monitor)).isEqualTo(3);
  }
}
