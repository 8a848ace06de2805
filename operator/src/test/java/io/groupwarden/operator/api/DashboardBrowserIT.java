package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.ProducerLoop;
import io.groupwarden.operator.support.RedisStreams;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import io.groupwarden.testkit.RedisServer;
import io.groupwarden.testkit.TempDirectories;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven through its chromedriver)
 * against a running operator with real data: a real Kafka broker with a group that keeps up and one
 * whose consumer stopped committing and lost records to deleteRecords, and a LagMonitor reading a
 * real redis-server. Screenshots go to {@code operator/target/screenshots}, or with {@code
 * -Dgroupwarden.updateScreenshots=true} to {@code docs/images/}, where the README shows them.
 */
class DashboardBrowserIT {
  private static final String TOKEN = "test-token";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static KafkaTestClients kafka;
  private static OperatorHarness harness;
  private static RedisServer redisServer;
  private static ProducerLoop producer;
  private static ConsumerLoop billing;
  private static ConsumerLoop shipping;
  private static Path userData;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    kafka = new KafkaTestClients(broker.bootstrapServers());
    kafka.createTopic("shop-orders", 3);
    producer = new ProducerLoop(broker.bootstrapServers(), "shop-orders", 3, 15);
    billing = new ConsumerLoop(kafka.consumer("billing", null), List.of("shop-orders"));
    shipping = new ConsumerLoop(kafka.consumer("shipping", null), List.of("shop-orders"));
    redisServer = RedisServer.create().start();
    RedisStreams.on(
        redisServer.uri(),
        redis -> {
          redis.createGroup("events:chat", "signalr");
          redis.add("events:chat", 240);
        });
    harness = OperatorHarness.start(Map.of("GROUPWARDEN_HISTORY_TOPIC", "dashboard-history"));
    TestResources.applySpec(
        harness.client(),
        ConsumerGroupPolicy.class,
        "shop",
        "orders",
        TestResources.policySpec(
            broker.bootstrapServers(),
            """
            groups: [billing, shipping]
            slo: {maxLagP95: 3s, window: 30s}
            stuck: {window: 5s}
            """));
    TestResources.applySpec(
        harness.client(),
        LagMonitor.class,
        "shop",
        "events",
        """
        kafka: {bootstrapServers: "%s", groups: [billing, shipping]}
        redis: {uri: "%s", streams: ["events:chat"], groups: [signalr]}
        interval: 1s
        """
            .formatted(broker.bootstrapServers(), redisServer.uri()));
    // shipping's consumer commits once, then keeps its partitions without committing: it falls
    // behind and stalls
    org.awaitility.Awaitility.await()
        .atMost(PATIENCE)
        .until(
            () ->
                kafka
                        .admin()
                        .listConsumerGroupOffsets("shipping")
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .size()
                    == 3);
    shipping.committing(false);
    // retention (here deleteRecords, as retention would) removes records of shop-orders-0 that
    // shipping never consumed: the operator counts them as lost
    TopicPartition lostPartition = new TopicPartition("shop-orders", 0);
    long shippingCommitted =
        kafka
            .admin()
            .listConsumerGroupOffsets("shipping")
            .partitionsToOffsetAndMetadata()
            .get()
            .get(lostPartition)
            .offset();
    org.awaitility.Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> kafka.logEnd(lostPartition) > shippingCommitted + 5);
    kafka
        .admin()
        .deleteRecords(
            Map.of(lostPartition, RecordsToDelete.beforeOffset(kafka.logEnd(lostPartition))))
        .all()
        .get();

    userData = TempDirectories.create("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + userData);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    shipping.close();
    billing.close();
    producer.close();
    harness.close();
    redisServer.close();
    kafka.close();
    TempDirectories.delete(userData);
  }

  private static String base() {
    return "http://127.0.0.1:" + harness.operator().httpPort() + "/";
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, PATIENCE, Duration.ofMillis(200));
  }

  /** Reloads the page until {@code shown} holds of it: for what the page shows only on load. */
  private static void reloadUntil(Predicate<WebDriver> shown) {
    waiting()
        .until(
            d -> {
              d.navigate().refresh();
              return shown.test(d);
            });
  }

  /** Opens a page of the dashboard and waits for its table of that label. */
  private static WebElement openTable(String route, String label) {
    browser.get(base() + route);
    return waiting()
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("table[aria-label=" + label + "]")));
  }

  @Test
  void aWrongTokenIsRefusedWithAClearMessage() {
    browser.get(base() + "#token=not-the-token");

    WebElement refused =
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-refused")));

    assertThat(refused.getText()).contains("refused").contains("401");
    assertThat(browser.findElement(By.id("token-input")).isDisplayed()).isTrue();
    // the token left the address bar and is not kept after a refusal
    assertThat(browser.getCurrentUrl()).doesNotContain("not-the-token");
    assertThat(sessionToken()).isNull();
    assertNoConsoleErrors("401");
  }

  @Test
  void theOverviewTheGroupPageWithLiveChartsTheTopicAndTheLagMonitor() throws IOException {
    browser.manage().window().setSize(new Dimension(1280, 900));
    browser.get(base() + "#token=" + TOKEN);

    // overview: both groups, shipping critical once its stall is seen
    waiting().until(d -> d.findElements(By.cssSelector("tr[data-group=billing]")).size() == 1);
    reloadUntil(
        d -> {
          List<WebElement> row = d.findElements(By.cssSelector("tr[data-group=shipping]"));
          return !row.isEmpty() && row.get(0).getText().contains("critical");
        });
    assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    assertThat(sessionToken()).isEqualTo(TOKEN);
    assertThat(browser.findElement(By.id("kpi-groups")).getText()).isEqualTo("2");
    assertThat(browser.findElement(By.id("kpi-sources")).getText()).isNotEqualTo("0");
    reloadUntil(
        d -> {
          List<WebElement> lost = d.findElements(By.id("kpi-lost"));
          return !lost.isEmpty() && !lost.get(0).getText().equals("0");
        });
    assertThat(browser.findElement(By.cssSelector("table[aria-label='Consumer groups']")).getText())
        .containsIgnoringCase("Lost")
        .containsIgnoringCase("Catch up")
        .contains("not catching up");
    screenshot("dashboard-overview.png");
    // keyboard: Tab walks the navigation in order
    ((JavascriptExecutor) browser).executeScript("document.querySelector('.brand').focus();");
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Overview");
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Topics");

    // the group page, opened from the keyboard: charts with points, members, the stuck partition
    ((JavascriptExecutor) browser)
        .executeScript("document.querySelector('tr[data-group=shipping] a').focus();");
    new Actions(browser).sendKeys(Keys.ENTER).perform();
    waiting().until(d -> points("chart-lag") > 2);
    waiting().until(d -> points("chart-lag-seconds") > 2);
    waiting().until(d -> points("chart-scores") > 1);
    assertThat(browser.findElements(By.cssSelector("#chart-lag canvas"))).isNotEmpty();
    assertThat(browser.findElement(By.cssSelector("table[aria-label=Members]")).getText())
        .contains("shipping");
    reloadUntil(
        d ->
            !d.findElements(By.cssSelector("table[aria-label='Stuck partitions'] tbody tr"))
                .isEmpty());
    waiting().until(d -> points("chart-lag") > 2);

    // the governance numbers: the records lost, the findings behind the health, the catch-up time
    assertThat(browser.findElement(By.id("kpi-lost")).getText()).isNotEqualTo("0");
    assertThat(browser.findElement(By.id("kpi-catch-up")).getText()).isNotBlank();
    assertThat(
            browser.findElements(By.cssSelector("#findings li.finding")).stream()
                .map(f -> f.getAttribute("data-type"))
                .toList())
        .contains("RecordsLost", "StuckPartition");
    assertThat(browser.findElement(By.cssSelector("#findings li[data-type=RecordsLost]")).getText())
        .contains("shop-orders-0");
    assertThat(
            browser
                .findElement(By.cssSelector("table[aria-label='Records lost to retention']"))
                .getText())
        .contains("shop-orders-0");

    // the live feed moves the evaluation time and the number of updates without a reload
    String evaluated = browser.findElement(By.id("evaluated-at")).getAttribute("datetime");
    waiting().until(d -> updates() >= 2);
    waiting()
        .until(
            d -> !evaluated.equals(d.findElement(By.id("evaluated-at")).getAttribute("datetime")));
    screenshot("dashboard-group.png");

    browser.manage().window().setSize(new Dimension(390, 844));
    waiting().until(d -> points("chart-lag") > 2);
    Long overflow =
        (Long)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as("no sideways scrolling of the page on a phone").isLessThanOrEqualTo(0);
    screenshot("dashboard-group-phone.png");
    browser.manage().window().setSize(new Dimension(1280, 900));

    // the topic page
    WebElement consumers = openTable("#/topics/shop-orders", "Consumers");
    assertThat(consumers.getText()).contains("billing").contains("shipping");
    assertThat(browser.findElement(By.id("kpi-topic-health")).getText()).isEqualTo("critical");
    screenshot("dashboard-topic.png");

    // the LagMonitor page: Kafka and Redis Streams sources with a trend
    WebElement sources = openTable("#/lagmonitors/shop/events", "Sources");
    assertThat(sources.getText()).contains("events:chat").contains("redis").contains("kafka");
    waiting().until(d -> points("chart-sources") > 1);
    screenshot("dashboard-lagmonitor.png");

    assertNoConsoleErrors(null);
  }

  @Test
  void theApiDocsPageShowsEveryRoute() {
    browser.get(base() + "api/docs");

    waiting().until(d -> d.findElements(By.cssSelector(".opblock-summary-path")).size() >= 16);
    assertThat(browser.findElements(By.cssSelector(".opblock-summary-path")))
        .extracting(WebElement::getText)
        .contains("/api/v1/clusters", "/api/v1/consumers/groups/{group}/history");
    assertNoConsoleErrors(null);
  }

  /** How many points the chart's uPlot holds. */
  private static long points(String chart) {
    Object count =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const box = document.getElementById(arguments[0]);"
                    + " return box && box.plot ? box.plot.data[0].length : 0;",
                chart);
    return ((Number) count).longValue();
  }

  private static long updates() {
    String text = browser.findElement(By.id("live-status")).getAttribute("data-updates");
    return text == null ? 0 : Long.parseLong(text);
  }

  private static String sessionToken() {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript("return sessionStorage.getItem('groupwarden.token');");
  }

  /**
   * Saves a screenshot under {@code operator/target/screenshots}, or in {@code docs/images} (which
   * the README shows) when run with {@code -Dgroupwarden.updateScreenshots=true}, so that a plain
   * build leaves the working tree as it was.
   */
  private static void screenshot(String name) throws IOException {
    Path images =
        Boolean.getBoolean("groupwarden.updateScreenshots")
            ? OperatorHarness.repositoryRoot().resolve("docs/images")
            : OperatorHarness.repositoryRoot().resolve("operator/target/screenshots");
    Files.createDirectories(images);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), images.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * No error in the browser's console since the last read, apart from the refused request a
   * wrong-token test makes on purpose.
   */
  private static void assertNoConsoleErrors(String expected) {
    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .filter(e -> expected == null || !e.getMessage().contains(expected))
            .toList();
    assertThat(errors).as("console errors").isEmpty();
  }
}
