package io.groupwarden.coordinator.group.assignor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;

/**
 * The server-side assignors a broker offers, by name; the first is the default. Each entry of the
 * broker's list is a built-in name ({@code uniform}, {@code range}) or the class name of an
 * implementation of Apache Kafka's {@link ConsumerGroupPartitionAssignor} with a public no-argument
 * constructor, so an assignor written for Kafka runs here unchanged.
 */
public final class Assignors {
  private final Map<String, ConsumerGroupPartitionAssignor> byName;
  private final ConsumerGroupPartitionAssignor defaultAssignor;

  private Assignors(List<ConsumerGroupPartitionAssignor> assignors) {
    if (assignors.isEmpty()) {
      throw new IllegalArgumentException("at least one consumer group assignor is needed");
    }
    byName = new LinkedHashMap<>();
    for (ConsumerGroupPartitionAssignor assignor : assignors) {
      if (byName.putIfAbsent(assignor.name(), assignor) != null) {
        throw new IllegalArgumentException("two assignors are named '" + assignor.name() + "'");
      }
    }
    defaultAssignor = assignors.get(0);
  }

  public static Assignors of(ConsumerGroupPartitionAssignor... assignors) {
    return new Assignors(List.of(assignors));
  }

  /** {@code uniform} (the default) and {@code range}. */
  public static Assignors standard() {
    return of(new UniformAssignor(), new RangeAssignor());
  }

  /**
   * Built-in names and class names, in order; a class that cannot be loaded is an {@link
   * IllegalArgumentException} naming it.
   */
  public static Assignors parse(List<String> entries) {
    List<ConsumerGroupPartitionAssignor> assignors = new ArrayList<>();
    for (String entry : entries) {
      String name = entry.trim();
      switch (name) {
        case UniformAssignor.NAME -> assignors.add(new UniformAssignor());
        case RangeAssignor.NAME -> assignors.add(new RangeAssignor());
        default -> assignors.add(load(name));
      }
    }
    return new Assignors(assignors);
  }

  private static ConsumerGroupPartitionAssignor load(String className) {
    try {
      Class<?> type = Class.forName(className);
      if (!ConsumerGroupPartitionAssignor.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            className + " does not implement " + ConsumerGroupPartitionAssignor.class.getName());
      }
      return (ConsumerGroupPartitionAssignor) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(
          "cannot load assignor '" + className + "': " + e.getMessage(), e);
    }
  }

  /** The assignor of this name, or null. */
  public ConsumerGroupPartitionAssignor get(String name) {
    return byName.get(name);
  }

  public ConsumerGroupPartitionAssignor defaultAssignor() {
    return defaultAssignor;
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
