package io.groupwarden.coordinator;

import io.groupwarden.coordinator.group.TopicMetadata;
import io.groupwarden.coordinator.log.TopicStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.Uuid;

/** The broker's topic store as the group coordinator reads it. */
record TopicStoreMetadata(TopicStore store) implements TopicMetadata {
  @Override
  public TopicMetadata.Topic byName(String name) {
    return describe(store.get(name));
  }

  @Override
  public TopicMetadata.Topic byId(Uuid id) {
    return describe(store.get(id));
  }

  @Override
  public Collection<TopicMetadata.Topic> all() {
    List<TopicMetadata.Topic> all = new ArrayList<>();
    store.all().forEach(t -> all.add(describe(t)));
    return all;
  }

  @Override
  public long version() {
    return store.version();
  }

  private static TopicMetadata.Topic describe(io.groupwarden.coordinator.log.Topic topic) {
    return topic == null
        ? null
        : new TopicMetadata.Topic(topic.name(), topic.id(), topic.partitions().size());
  }
}
