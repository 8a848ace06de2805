package io.groupwarden.operator.api;

import io.groupwarden.operator.api.view.EventView;
import java.util.List;

/** The recent Kubernetes Events about a resource, newest first. */
@FunctionalInterface
public interface RecentEvents {
  RecentEvents NONE = (namespace, kind, name) -> List.of();

  List<EventView> about(String namespace, String kind, String name);
}
