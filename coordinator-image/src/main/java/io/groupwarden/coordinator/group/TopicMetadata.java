package io.groupwarden.coordinator.group;

import java.util.Collection;
import java.util.List;
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

  /** No topics at all (unit tests of the classic protocol). */
  TopicMetadata NONE =
      new TopicMetadata() {
        @Override
        public Topic byName(String name) {
          return null;
        }

        @Override
        public Topic byId(Uuid id) {
          return null;
        }

        @Override
        public Collection<Topic> all() {
          return List.of();
        }

        @Override
        public long version() {
          return 0;
        }
      };
}
