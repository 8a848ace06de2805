package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.util.List;

/**
 * A consumer of a Redis Streams group.
 *
 * @param pending entries delivered to it but not acknowledged; absent when unknown
 * @param idleMs milliseconds since it last interacted; absent when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumerView(String name, Long pending, Long idleMs) {

  /** The consumers of a Redis Streams source; none for a Kafka source. */
  public static List<ConsumerView> of(Source source) {
    return source.consumers() == null
        ? List.of()
        : source.consumers().stream()
            .map(c -> new ConsumerView(c.name(), c.pending(), c.idleMs()))
            .toList();
  }
}
