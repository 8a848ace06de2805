package io.groupwarden.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/** Topics a test creates as it goes. */
final class FakeTopics implements TopicMetadata {
  private final Map<String, Topic> byName = new LinkedHashMap<>();
  private long version;

  Topic create(String name, int partitions) {
    Topic topic = new Topic(name, new Uuid(0, byName.size() + 1), partitions);
    byName.put(name, topic);
    version++;
    return topic;
  }

  @Override
  public Topic byName(String name) {
    return byName.get(name);
  }

  @Override
  public Topic byId(Uuid id) {
    for (Topic topic : byName.values()) {
      if (topic.id().equals(id)) {
        return topic;
      }
    }
    return null;
  }

  @Override
  public Collection<Topic> all() {
    return new ArrayList<>(byName.values());
  }

  @Override
  public long version() {
    return version;
  }
}
