package io.groupwarden.operator.lag;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which consumer groups a resource watches and which of their topics count.
 *
 * @param groups explicit group ids, or empty when {@code pattern} selects them
 * @param pattern a regular expression a group id must match entirely, or null
 * @param topics topics to keep; empty keeps every topic the group consumes or has offsets for
 */
public record GroupSelector(List<String> groups, Pattern pattern, Set<String> topics) {

  public GroupSelector {
    groups = groups == null ? List.of() : List.copyOf(groups);
    topics = topics == null ? Set.of() : Set.copyOf(topics);
  }

  public static GroupSelector ofGroups(String... groups) {
    return new GroupSelector(List.of(groups), null, Set.of());
  }

  public boolean byPattern() {
    return pattern != null;
  }

  public boolean keepsTopic(String topic) {
    return topics.isEmpty() || topics.contains(topic);
  }
}
