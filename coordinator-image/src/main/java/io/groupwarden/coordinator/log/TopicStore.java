package io.groupwarden.coordinator.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics on this broker. Each topic is a directory under {@code topics/} holding {@code
 * topic.json} (id, partition count, settings) and one directory of segments per partition.
 */
public final class TopicStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DESCRIPTOR = "topic.json";

  /** What {@code topic.json} holds. */
  record Descriptor(String name, String id, int partitions, Map<String, String> configs) {}

  private final Path root;
  private final TopicConfig defaults;
  private final LongSupplier clock;
  private final SegmentFiles files;
  private final Map<String, Topic> byName = new ConcurrentHashMap<>();
  private final Map<Uuid, Topic> byId = new ConcurrentHashMap<>();
  private volatile TopicLimits limits = TopicLimits.unbounded();
  private int partitionCount;

  private TopicStore(Path root, TopicConfig defaults, LongSupplier clock, SegmentFiles files) {
    this.root = root;
    this.defaults = defaults;
    this.clock = clock;
    this.files = files;
  }

  /**
   * Opens the topics under {@code root}; their segments' files are opened and closed by {@code
   * files}.
   */
  public static TopicStore open(
      Path root, TopicConfig defaults, LongSupplier clock, SegmentFiles files) throws IOException {
    Files.createDirectories(root);
    TopicStore store = new TopicStore(root, defaults, clock, files);
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.sorted().toList()) {
        String name = dir.getFileName().toString();
        if (name.endsWith(".deleted")) {
          deleteTree(dir);
        } else if (Files.exists(dir.resolve(DESCRIPTOR))) {
          store.load(dir);
        } else if (Files.isDirectory(dir)) {
          // a creation that crashed before its descriptor was written
          deleteTree(dir);
        }
      }
    }
    return store;
  }

  private void load(Path dir) throws IOException {
    Descriptor descriptor = JSON.readValue(dir.resolve(DESCRIPTOR).toFile(), Descriptor.class);
    TopicConfig config = defaults.with(descriptor.configs());
    Topic topic =
        openTopic(
            dir,
            descriptor.name(),
            Uuid.fromString(descriptor.id()),
            descriptor.partitions(),
            config);
    byName.put(topic.name(), topic);
    byId.put(topic.id(), topic);
    partitionCount += topic.partitions().size();
  }

  private Topic openTopic(Path dir, String name, Uuid id, int partitions, TopicConfig config)
      throws IOException {
    List<PartitionLog> logs = new ArrayList<>();
    Topic[] holder = new Topic[1];
    for (int p = 0; p < partitions; p++) {
      logs.add(
          PartitionLog.open(
              new TopicPartition(name, p),
              dir.resolve(String.valueOf(p)),
              () -> holder[0] == null ? config : holder[0].config(),
              clock,
              files));
    }
    holder[0] = new Topic(name, id, config, List.copyOf(logs));
    return holder[0];
  }

  /** Bounds topic creation from now on (auto-creation and CreateTopics alike). */
  public void limit(TopicLimits limits) {
    this.limits = limits;
  }

  private volatile long version;

  public Topic get(String name) {
    return name == null ? null : byName.get(name);
  }

  public Topic get(Uuid id) {
    return id == null ? null : byId.get(id);
  }

  public Collection<Topic> all() {
    List<Topic> topics = new ArrayList<>(byName.values());
    topics.sort(Comparator.comparing(Topic::name));
    return topics;
  }

  /** Changes whenever a topic is created or deleted (consumer groups re-resolve then). */
  public long version() {
    return version;
  }

  public TopicConfig defaults() {
    return defaults;
  }

  /**
   * Creates a topic; with {@code validateOnly} only checks that it could be created.
   *
   * @throws org.apache.kafka.common.errors.ApiException naming what is wrong
   */
  public synchronized Topic create(
      String name, int partitions, Map<String, String> configs, boolean validateOnly) {
    org.apache.kafka.common.internals.Topic.validate(name);
    if (name.startsWith("__")) {
      throw new org.apache.kafka.common.errors.InvalidTopicException(
          "topic names starting with '__' are reserved for internal topics");
    }
    if (byName.containsKey(name)) {
      throw new TopicExistsException("Topic '" + name + "' already exists.");
    }
    if (partitions <= 0 || partitions > 10_000) {
      throw new InvalidPartitionsException("number of partitions must be between 1 and 10000");
    }
    TopicConfig config = defaults.with(configs);
    if (validateOnly) {
      return new Topic(name, Uuid.ZERO_UUID, config, List.of());
    }
    limits.admit(byName.size(), partitionCount, partitions);
    Uuid id = Uuid.randomUuid();
    Path dir = root.resolve(name);
    Topic topic = null;
    try {
      Files.createDirectories(dir);
      topic = openTopic(dir, name, id, partitions, config);
      Map<String, String> overrides = new LinkedHashMap<>(configs);
      overrides.values().removeIf(v -> v == null);
      writeDescriptor(dir, new Descriptor(name, id.toString(), partitions, overrides));
      byName.put(name, topic);
      byId.put(id, topic);
      partitionCount += partitions;
      version++;
      LOG.info("created topic {} with {} partitions", name, partitions);
      return topic;
    } catch (IOException | UncheckedIOException e) {
      // Out of file descriptors or disk: this request fails and leaves nothing half made.
      if (topic != null) {
        topic.partitions().forEach(PartitionLog::close);
      }
      try {
        deleteTree(dir);
      } catch (IOException ignored) {
        // removed at the next start, as a directory without descriptor
      }
      LOG.warn("could not create topic {}: {}", name, e.getMessage());
      throw new org.apache.kafka.common.errors.KafkaStorageException(
          "topic '" + name + "' could not be created: " + e.getMessage());
    }
  }

  public synchronized void delete(String name) {
    Topic topic = byName.remove(name);
    if (topic == null) {
      throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
    }
    byId.remove(topic.id());
    partitionCount -= topic.partitions().size();
    version++;
    topic.partitions().forEach(PartitionLog::close);
    Path dir = root.resolve(name);
    Path doomed = root.resolve(name + "." + topic.id() + ".deleted");
    try {
      Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.syncDirectory(root);
      deleteTree(doomed);
    } catch (IOException e) {
      LOG.warn("could not remove the files of deleted topic {}", name, e);
    }
    LOG.info("deleted topic {}", name);
  }

  /**
   * CreatePartitions: grows a topic to {@code total} partitions (a topic never shrinks); with
   * {@code validateOnly} only checks that it could.
   *
   * @throws org.apache.kafka.common.errors.ApiException naming what is wrong
   */
  public synchronized Topic addPartitions(String name, int total, boolean validateOnly) {
    Topic topic = byName.get(name);
    if (topic == null) {
      throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
    }
    int current = topic.partitions().size();
    if (total <= current) {
      throw new InvalidPartitionsException(
          "Topic '"
              + name
              + "' has "
              + current
              + " partitions; the new count ("
              + total
              + ") must be larger");
    }
    if (total > 10_000) {
      throw new InvalidPartitionsException("number of partitions must be between 1 and 10000");
    }
    if (validateOnly) {
      return topic;
    }
    limits.admit(byName.size() - 1, partitionCount, total - current);
    Path dir = root.resolve(name);
    List<PartitionLog> logs = new ArrayList<>(topic.partitions());
    List<PartitionLog> added = new ArrayList<>();
    Topic[] holder = new Topic[1];
    try {
      for (int p = current; p < total; p++) {
        PartitionLog log =
            PartitionLog.open(
                new TopicPartition(name, p),
                dir.resolve(String.valueOf(p)),
                () -> holder[0] == null ? topic.config() : holder[0].config(),
                clock,
                files);
        added.add(log);
      }
      Descriptor descriptor = JSON.readValue(dir.resolve(DESCRIPTOR).toFile(), Descriptor.class);
      writeDescriptor(
          dir, new Descriptor(descriptor.name(), descriptor.id(), total, descriptor.configs()));
    } catch (IOException | UncheckedIOException e) {
      added.forEach(PartitionLog::close);
      LOG.warn("could not add partitions to {}: {}", name, e.getMessage());
      throw new org.apache.kafka.common.errors.KafkaStorageException(
          "partitions of '" + name + "' could not be created: " + e.getMessage());
    }
    logs.addAll(added);
    holder[0] = new Topic(name, topic.id(), topic.config(), List.copyOf(logs));
    byName.put(name, holder[0]);
    byId.put(topic.id(), holder[0]);
    partitionCount += total - current;
    version++;
    LOG.info("topic {} grew from {} to {} partitions", name, current, total);
    return holder[0];
  }

  public void applyRetention() {
    for (Topic topic : byName.values()) {
      topic.partitions().forEach(PartitionLog::applyRetention);
    }
  }

  /**
   * Forgets, in every partition, the producers that have written nothing there for {@code
   * expiration} and have no transaction open.
   */
  public void expireProducers(Duration expiration) {
    int forgotten = 0;
    for (Topic topic : byName.values()) {
      for (PartitionLog log : topic.partitions()) {
        forgotten += log.expireProducers(expiration.toMillis());
      }
    }
    if (forgotten > 0) {
      LOG.info("forgot {} producer states idle for {} or more", forgotten, expiration);
    }
  }

  /** Compacts the partitions of compacted topics that are dirty enough (see {@link LogCleaner}). */
  public void cleanCompactedTopics(LogCleaner cleaner) {
    for (Topic topic : byName.values()) {
      if (!topic.config().compact()) {
        continue;
      }
      for (PartitionLog log : topic.partitions()) {
        try {
          cleaner.maybeClean(log);
        } catch (IOException | RuntimeException e) {
          LOG.warn("{}: compaction failed: {}", log.partition(), e.toString());
        }
      }
    }
  }

  /** The open files of the segments. */
  public SegmentFiles files() {
    return files;
  }

  @Override
  public void close() {
    byName.values().forEach(t -> t.partitions().forEach(PartitionLog::close));
    files.closeAll();
  }

  private void writeDescriptor(Path dir, Descriptor descriptor) throws IOException {
    AtomicFiles.replace(dir.resolve(DESCRIPTOR), JSON.writeValueAsBytes(descriptor));
    AtomicFiles.syncDirectory(dir);
    AtomicFiles.syncDirectory(root);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
