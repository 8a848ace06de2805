package io.groupwarden.coordinator.support;

import io.groupwarden.coordinator.Coordinator;
import io.groupwarden.testkit.TempDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
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
  /** The broker's settings, made when it starts. */
  @FunctionalInterface
  public interface Settings {
    /**
     * @param tls the broker's TLS material ({@link #withTls}), or null without TLS
     * @param dir a new directory for files the broker reads, such as a SASL users file
     */
    Map<String, String> in(BrokerTls tls, Path dir) throws IOException;
  }

  private final String caName;
  private final Settings settings;
  private BrokerTls tls;
  private RunningCoordinator running;
  private Path dir;
  private Admin admin;

  public CoordinatorPerClass() {
    this(Map.of());
  }

  /** {@code settings} as for {@link RunningCoordinator#start(Map)}. */
  public CoordinatorPerClass(Map<String, String> settings) {
    this(null, (tls, dir) -> settings);
  }

  private CoordinatorPerClass(String caName, Settings settings) {
    this.caName = caName;
    this.settings = settings;
  }

  /**
   * A broker that serves a certificate from a new test CA named {@code caName} ({@link
   * BrokerTls#brokerSettings}), with the settings {@code more} makes besides.
   */
  public static CoordinatorPerClass withTls(String caName, Settings more) {
    return new CoordinatorPerClass(caName, more);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = TempDirectories.create("coordinator-");
    Map<String, String> all = new HashMap<>();
    if (caName != null) {
      tls = BrokerTls.issue(dir.resolve("tls"), caName);
      all.putAll(tls.brokerSettings());
    }
    all.putAll(settings.in(tls, dir));
    running = RunningCoordinator.start(dir.resolve("data"), all);
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    running.close();
    TempDirectories.delete(dir);
  }

  /** The broker's TLS material; only with {@link #withTls}. */
  public BrokerTls tls() {
    if (tls == null) {
      throw new IllegalStateException("this broker was started without TLS");
    }
    return tls;
  }

  public Path dataDir() {
    return running.dataDir();
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
