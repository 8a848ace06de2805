package io.groupwarden.coordinator.group;

import java.util.Collection;
import org.apache.kafka.common.Uuid;

/** The broker's topics as consumer groups see them: names, ids, partition counts. */
public interface TopicMetadata {
  record Topic(String name, Uuid id, int partitions) {}

  /** The topic with this name, or null. */
  Topic byName(String name);

  /** The topic with this id, or null. */
  Topic byId(Uuid id);

  Collection<Topic> all();

  /** Changes whenever a topic is created or deleted, so groups know when to look again. */
  long version();
}
