package io.groupwarden.coordinator.group.consumer;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.groupwarden.coordinator.group.TopicMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The topics each regular expression of a group's members matches, in RE2/J syntax as Kafka's
 * {@code SubscribedTopicRegex}. Resolved again whenever topics are created or deleted, so a new
 * matching topic joins the assignment at the members' next heartbeat.
 */
final class RegexSubscriptions {
  private record Resolved(long topicsVersion, Set<String> topics) {}

  private final Map<String, Resolved> byRegex = new HashMap<>();

  /** Null when the expression is valid, else why not. */
  static String validate(String regex) {
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return e.getMessage();
    }
  }

  Set<String> matching(String regex, TopicMetadata topics) {
    long version = topics.version();
    Resolved resolved = byRegex.get(regex);
    if (resolved == null || resolved.topicsVersion() != version) {
      Pattern pattern = Pattern.compile(regex);
      Set<String> matched = new TreeSet<>();
      for (TopicMetadata.Topic topic : topics.all()) {
        if (pattern.matches(topic.name())) {
          matched.add(topic.name());
        }
      }
      resolved = new Resolved(version, Set.copyOf(matched));
      byRegex.put(regex, resolved);
    }
    return resolved.topics();
  }

  /** Forgets expressions no member uses any more. */
  void retainOnly(Set<String> inUse) {
    byRegex.keySet().retainAll(inUse);
  }
}
