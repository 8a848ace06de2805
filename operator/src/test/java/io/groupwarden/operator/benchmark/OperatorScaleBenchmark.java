package io.groupwarden.operator.benchmark;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.groupwarden.common.KubeDuration;
import io.groupwarden.operator.benchmark.Measurements.Window;
import io.groupwarden.operator.support.Kubeconfigs;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * The operator at scale: a real Kafka broker holding {@code 5 × policies} consumer groups with
 * committed offsets, fabric8's mock API server in CRUD mode, and the operator in a JVM of its own.
 * Creates ConsumerGroupPolicies, LagMonitors (5 groups each) and MongoSinks in two steps (a fifth,
 * then the rest) and reports, at each size: the time from creating a resource to its first status,
 * then over a steady window the operator's CPU per evaluation cycle, the Kafka requests the broker
 * answered per cycle (by API), the status writes per cycle and the heap after a full collection.
 * Then it restarts the operator with every resource present and measures the start until {@code
 * /readyz} answers 200, and runs the peer — one kafka-lag-exporter-style per-group collection loop
 * ({@link PerGroupLagLoop}) — at both sizes, measured the same way on the same broker and groups.
 *
 * <p>Settings (system properties): {@code bench.policies} (1000; as many LagMonitors), {@code
 * bench.sinks} (100), {@code bench.interval} (10s, every resource's), {@code bench.cycles} (6, the
 * steady window in intervals), {@code bench.operatorJvmArgs} (e.g. a flight recording; {@code
 * {run}} in it is replaced by the name of the operator's start), {@code bench.skipPeer}.
 */
public final class OperatorScaleBenchmark {
  private static final int POLICIES = Integer.getInteger("bench.policies", 1000);
  private static final int SINKS = Integer.getInteger("bench.sinks", 100);
  private static final String INTERVAL = System.getProperty("bench.interval", "10s");
  private static final int CYCLES = Integer.getInteger("bench.cycles", 6);
  private static final Duration SETTLE = Duration.ofMinutes(5);

  private final Duration interval = KubeDuration.parse(INTERVAL);
  private final Path work;
  private final List<String> report = new ArrayList<>();
  private KafkaBroker broker;
  private JvmProbe brokerProbe;
  private Map<String, Double> idlePerSecond = Map.of();
  private KubernetesMockServer api;
  private Path kubeconfig;
  private int httpPort;

  private OperatorScaleBenchmark(Path work) {
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of("target", "operator-scale-benchmark").toAbsolutePath();
    Files.createDirectories(work);
    OperatorScaleBenchmark benchmark = new OperatorScaleBenchmark(work);
    try {
      benchmark.run();
    } finally {
      benchmark.report.forEach(System.out::println);
      benchmark.stop();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    int groups = POLICIES * BenchmarkResources.GROUPS_PER_RESOURCE;
    ScaleWorkload workload = new ScaleWorkload(groups, Math.max(1, groups / 100));
    int smallPolicies = POLICIES / 5;
    int smallSinks = SINKS / 5;
    log(
        "operator at scale: %d groups on %d topics x %d partitions, %d policies, %d monitors, %d sinks,"
            + " interval %s; %d cores, load average %.1f",
        groups,
        workload.topics(),
        ScaleWorkload.PARTITIONS,
        POLICIES,
        POLICIES,
        SINKS,
        INTERVAL,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());

    broker = KafkaBroker.builder().dataDir(Files.createTempDirectory(work, "kafka-")).build();
    broker.start();
    long setup = System.nanoTime();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      workload.create(admin, broker.bootstrapServers());
    }
    log("kafka workload ready in %.1f s", (System.nanoTime() - setup) / 1e9);
    brokerProbe = JvmProbe.attach(broker.processHandle().pid());
    startApiServer();
    KubernetesClient client = api.createClient();
    BenchmarkResources resources =
        new BenchmarkResources(client, broker.bootstrapServers(), INTERVAL, workload);
    resources.prepareNamespace();

    idlePerSecond = idleRequests();
    try (StatusWatch watch = new StatusWatch(client)) {
      ChildJvm operator = startOperator("empty");
      try {
        resources.create(0, smallPolicies, 0, smallSinks, watch::created);
        awaitStatuses(watch);
        reportFirstStatus(watch, "first status, the first fifth created");
        report.add(
            steady(operator, "operator, " + smallPolicies * 5 + " groups", watch).describe());

        resources.create(smallPolicies, POLICIES, smallSinks, SINKS, watch::created);
        awaitStatuses(watch);
        reportFirstStatus(watch, "first status, all created");
        report.add(steady(operator, "operator, " + groups + " groups", watch).describe());
      } finally {
        operator.close();
      }

      // A sink whose figures did not change writes no new status; policies and monitors write
      // their check time every cycle, so their next write shows they were evaluated again.
      watch.mark();
      operator = startOperator("with all resources");
      try {
        int evaluated = 2 * POLICIES;
        boolean all = awaitCondition(() -> watch.writtenSinceMark() >= evaluated, SETTLE);
        report.add(
            Measurements.distribution(
                    "after the restart, time to the next status of policies and monitors",
                    watch.millisToFirstWriteSinceMark())
                + (all ? "" : " (not all within " + SETTLE + ")"));
      } finally {
        operator.close();
      }
    }

    if (!Boolean.getBoolean("bench.skipPeer")) {
      report.add(peer(smallPolicies * 5).describe());
      report.add(peer(groups).describe());
    }
  }

  private void startApiServer() throws Exception {
    api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    api.init();
    KubernetesClient client = api.createClient();
    OperatorHarness.installCrds(client);
    kubeconfig =
        Kubeconfigs.write(work.resolve("kubeconfig.yaml"), client.getMasterUrl().toString());
  }

  /** Starts the operator and waits for /readyz to answer 200; reports how long that took. */
  private ChildJvm startOperator(String label) throws Exception {
    httpPort = FreePort.pick();
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g", "-Duser.home=" + work));
    String run = label.replace(' ', '-');
    // {run} in an option names this start, e.g. a flight recording file per operator process
    ChildProcesses.jvmOptionsFrom("bench.operatorJvmArgs")
        .forEach(option -> jvm.add(option.replace("{run}", run)));
    Path log = work.resolve("operator-" + run + ".log");
    Files.deleteIfExists(log);
    ChildJvm operator =
        ChildJvm.start(
            BenchmarkOperatorMain.class,
            jvm,
            List.of(),
            Map.of(
                "KUBECONFIG",
                kubeconfig.toString(),
                "GROUPWARDEN_HTTP_PORT",
                String.valueOf(httpPort),
                "GROUPWARDEN_HTTP_HOST",
                "127.0.0.1",
                "GROUPWARDEN_LEADER_ELECTION",
                "false",
                "GROUPWARDEN_API_TOKEN",
                "benchmark-token",
                "GROUPWARDEN_SINK_RESYNC",
                INTERVAL),
            log);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest readyz =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited; see " + log);
      }
      try {
        if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the operator did not become ready; see " + log);
      }
      Thread.sleep(10);
    }
    long readyMillis = System.currentTimeMillis();
    double fromLaunch = (System.nanoTime() - operator.launchedNanos()) / 1e6;
    Map<String, Long> steps = startupSteps(log);
    report.add(
        String.format(
            Locale.ROOT,
            "start-up (%s): /readyz 200 %.0f ms after launch (JVM start included); after the"
                + " API server checks answered: %d ms; JVM start to main: %d ms; checks: %d ms",
            label,
            fromLaunch,
            readyMillis - steps.getOrDefault("apiChecked", readyMillis),
            steps.getOrDefault("main", 0L) - steps.getOrDefault("jvmStart", 0L),
            steps.getOrDefault("apiChecked", 0L) - steps.getOrDefault("main", 0L)));
    return operator;
  }

  private static Map<String, Long> startupSteps(Path log) throws Exception {
    Map<String, Long> steps = new HashMap<>();
    for (String line : Files.readAllLines(log)) {
      int at = line.indexOf("BENCHMARK-STARTUP ");
      if (at >= 0) {
        for (String pair : line.substring(at + 18).trim().split(" ")) {
          String[] kv = pair.split("=");
          steps.put(kv[0], Long.parseLong(kv[1]));
        }
      }
    }
    return steps;
  }

  private void awaitStatuses(StatusWatch watch) throws Exception {
    long start = System.nanoTime();
    if (!awaitCondition(watch::allHaveStatus, SETTLE)) {
      report.add("NOT ALL RESOURCES GOT A STATUS within " + SETTLE);
    }
    log(
        "%d of %d resources have a status after %.1f s",
        watch.withStatus(), watch.createdCount(), (System.nanoTime() - start) / 1e9);
  }

  private void reportFirstStatus(StatusWatch watch, String label) {
    report.add(label + ":");
    for (String kind : List.of("ConsumerGroupPolicy", "LagMonitor", "MongoSink", "")) {
      report.add(
          "  "
              + Measurements.distribution(
                  kind.isEmpty() ? "all" : kind, watch.millisToFirstStatus(kind)));
    }
  }

  /** Lets two intervals pass, then measures a window of {@link #CYCLES} intervals. */
  private Window steady(ChildJvm process, String label, StatusWatch watch) throws Exception {
    Thread.sleep(interval.multipliedBy(2).toMillis());
    return window(process, label, watch);
  }

  private Window window(ChildJvm process, String label, StatusWatch watch) throws Exception {
    Duration length = interval.multipliedBy(CYCLES);
    var cpu = process.cpuTime();
    var brokerCpu = ChildProcesses.cpuTime(broker.processHandle());
    Map<String, Long> requests = brokerProbe.brokerRequests();
    long writes = watch == null ? 0 : watch.writes();
    long start = System.nanoTime();
    Thread.sleep(length.toMillis());
    Duration measured = Duration.ofNanos(System.nanoTime() - start);
    Window window =
        new Window(
            label,
            measured,
            measured.toNanos() / (double) interval.toNanos(),
            process.cpuTime().minus(cpu),
            ChildProcesses.cpuTime(broker.processHandle()).minus(brokerCpu),
            Measurements.requestsBetween(
                requests, brokerProbe.brokerRequests(), idlePerSecond, measured),
            watch == null ? 0 : watch.writes() - writes,
            heapAfterGc(process, label));
    log("%s measured", label);
    return window;
  }

  private Window peer(int groups) throws Exception {
    try (ChildJvm peer =
        ChildJvm.start(
            PerGroupLagLoop.class,
            List.of("-Xmx1g"),
            List.of(
                broker.bootstrapServers(),
                String.valueOf(groups),
                String.valueOf(interval.toMillis())),
            Map.of(),
            work.resolve("peer-" + groups + ".log"))) {
      return steady(peer, "peer (per-group loop), " + groups + " groups", null);
    }
  }

  /** The heap after a full collection; what holds it goes to a class histogram file. */
  private long heapAfterGc(ChildJvm process, String label) throws Exception {
    long heap;
    try (JvmProbe probe = JvmProbe.attach(process.pid())) {
      heap = probe.heapAfterGc();
    }
    Path histogram = work.resolve("histogram-" + label.replaceAll("[^A-Za-z0-9]+", "-") + ".txt");
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .redirectOutput(histogram.toFile())
            .start();
    jcmd.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
    return heap;
  }

  /** Requests per second the broker answers with no client: its own, subtracted from windows. */
  private Map<String, Double> idleRequests() throws Exception {
    Map<String, Long> before = brokerProbe.brokerRequests();
    long start = System.nanoTime();
    Thread.sleep(10_000);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> rates = new HashMap<>();
    brokerProbe
        .brokerRequests()
        .forEach(
            (api, count) -> {
              long delta = count - before.getOrDefault(api, 0L);
              if (delta > 0) {
                rates.put(api, delta / seconds);
              }
            });
    report.add("broker requests per second with no client (subtracted below): " + rates);
    return rates;
  }

  /** Waits for the condition; false when it was not reached within the timeout. */
  private static boolean awaitCondition(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void log(String format, Object... args) {
    System.out.printf(
        Locale.ROOT, "[%tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private void stop() {
    try {
      if (brokerProbe != null) {
        brokerProbe.close();
      }
    } catch (Exception ignored) {
      // the broker is stopped next anyway
    }
    if (api != null) {
      api.destroy();
    }
    if (broker != null) {
      broker.stop();
    }
  }
}
