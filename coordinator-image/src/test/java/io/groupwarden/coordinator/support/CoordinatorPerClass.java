package io.groupwarden.coordinator.support;

import io.groupwarden.coordinator.Coordinator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RunningCoordinator} for one test class, started before its {@code @BeforeAll} methods
 * and closed after its last test; register it in a static field with {@code @RegisterExtension}.
 */
public final class CoordinatorPerClass implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> settings;
  private RunningCoordinator running;
  private Admin admin;

  public CoordinatorPerClass() {
    this(Map.of());
  }

  /** {@code settings} as for {@link RunningCoordinator#start(Map)}. */
  public CoordinatorPerClass(Map<String, String> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running = RunningCoordinator.start(settings);
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    running.close();
  }

  public String bootstrapServers() {
    return running.bootstrapServers();
  }

  public String httpBase() {
    return running.httpBase();
  }

  public Coordinator coordinator() {
    return running.coordinator();
  }

  /** Creates a topic of {@code partitions} partitions through {@link #admin()}. */
  public void createTopic(String name, int partitions) throws Exception {
    admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
  }

  /** An admin client on the broker, made on first use and closed with the broker. */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Clients.admin(running.bootstrapServers());
    }
    return admin;
  }
}
