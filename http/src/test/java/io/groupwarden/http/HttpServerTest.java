package io.groupwarden.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private static final String TOKEN = "s3cret-token";
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;

  record Group(String name, int members) {}

  record Produce(String topic, String message) {}

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpServer.Builder builder() {
    return HttpServer.builder("test").bind("127.0.0.1", 0).token(new BearerToken(TOKEN));
  }

  /** A server answering GET {@code path} with {@code body}, streamed. */
  private HttpServer streaming(String path, Generated body) throws Exception {
    return builder().get(path, Access.OPEN, r -> octetStream(body)).start();
  }

  private static Response octetStream(Generated body) {
    return Response.stream(200, "application/octet-stream", body);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesByMethodAndPathTemplateWithTheMostSpecificWinning() throws Exception {
    server =
        builder()
            .get(
                "/groups/{group}",
                Access.OPEN,
                r -> Response.json(new Group(r.pathParam("group"), 3)))
            .get("/groups/summary", Access.OPEN, r -> Response.text(200, "summary"))
            .get("/files/{path...}", Access.OPEN, r -> Response.text(200, r.pathParam("path")))
            .post("/groups/{group}", Access.OPEN, r -> Response.text(201, "made"))
            .start();

    HttpResponse<String> group = get("/groups/orders");
    assertThat(group.statusCode()).isEqualTo(200);
    assertThat(group.headers().firstValue("content-type")).contains("application/json");
    assertThat(group.body()).isEqualTo("{\"name\":\"orders\",\"members\":3}");
    assertThat(get("/groups/summary/").body()).isEqualTo("summary");
    assertThat(get("/files/js/app.js").body()).isEqualTo("js/app.js");
    assertThat(post("/groups/orders", "").statusCode()).isEqualTo(201);

    HttpResponse<String> missing = get("/nothing/here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"no such endpoint: /nothing/here\"}");

    HttpResponse<String> wrongMethod =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/files/x"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("allow")).contains("GET");
  }

  @Test
  void aScrapeIsPrometheusTextInUtf8() throws Exception {
    String scrape = "lag{topic=\"bestellungen-\u00fc\"} 3.0\n";
    server = builder().get("/metrics", Access.OPEN, r -> Response.prometheus(scrape)).start();

    HttpResponse<String> answer = get("/metrics");
    assertThat(answer.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(answer.body()).isEqualTo(scrape);
  }

  @Test
  void guardedRoutesRequireTheBearerToken() throws Exception {
    server = builder().get("/api/x", Access.TOKEN, r -> Response.text(200, "secret")).start();

    assertThat(get("/api/x").statusCode()).isEqualTo(401);
    assertThat(get("/api/x", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/x?access_token=" + TOKEN).statusCode())
        .as("the query token is for WebSockets only")
        .isEqualTo(401);
    HttpResponse<String> ok = get("/api/x", "Authorization", "Bearer " + TOKEN);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("secret");
  }

  @Test
  void withoutAConfiguredTokenGuardedRoutesRefuseEveryone() throws Exception {
    server =
        HttpServer.builder("open")
            .bind("127.0.0.1", 0)
            .get("/api/x", Access.TOKEN, r -> Response.text(200, "secret"))
            .start();

    assertThat(get("/api/x", "Authorization", "Bearer ").statusCode()).isEqualTo(401);
    assertThat(get("/api/x", "Authorization", "Bearer null").statusCode()).isEqualTo(401);
  }

  @Test
  void clientMistakesAreNamedAndFailuresDoNotLeakInternals() throws Exception {
    server =
        builder()
            .get(
                "/limit",
                Access.OPEN,
                r -> Response.text(200, String.valueOf(r.queryInt("max_messages", 10, 1, 10_000))))
            .get(
                "/missing",
                Access.OPEN,
                r -> {
                  throw HttpError.notFound("topic orders does not exist");
                })
            .get(
                "/broken",
                Access.OPEN,
                r -> {
                  throw new IllegalStateException("java.lang.internal secret detail");
                })
            .post("/produce", Access.OPEN, r -> Response.json(r.bodyAs(Produce.class)))
            .start();

    assertThat(get("/limit").body()).isEqualTo("10");
    assertThat(get("/limit?max_messages=42").body()).isEqualTo("42");
    HttpResponse<String> overflow = get("/limit?max_messages=4294967301");
    assertThat(overflow.statusCode()).isEqualTo(400);
    assertThat(overflow.body())
        .isEqualTo("{\"error\":\"max_messages must be from 1 to 10000, not 4294967301\"}");
    assertThat(get("/limit?max_messages=ten").body())
        .isEqualTo("{\"error\":\"max_messages must be a whole number, not 'ten'\"}");

    HttpResponse<String> missing = get("/missing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"topic orders does not exist\"}");

    HttpResponse<String> broken = get("/broken");
    assertThat(broken.statusCode()).isEqualTo(500);
    assertThat(broken.body()).isEqualTo("{\"error\":\"internal error\"}");

    assertThat(post("/produce", "{\"topic\":\"orders\",\"message\":\"hi\"}").body())
        .isEqualTo("{\"topic\":\"orders\",\"message\":\"hi\"}");
    HttpResponse<String> malformed = post("/produce", "{\"topic\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("{\"error\":\"the body is not valid JSON (line 1");
    HttpResponse<String> wrongType = post("/produce", "{\"topic\":{\"a\":1}}");
    assertThat(wrongType.body()).isEqualTo("{\"error\":\"field 'topic' has the wrong type\"}");
    HttpResponse<String> unknown = post("/produce", "{\"topik\":\"orders\"}");
    assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown field 'topik'\"}");
    for (HttpResponse<String> bad : List.of(malformed, wrongType, unknown)) {
      assertThat(bad.body()).doesNotContain("jackson", "Exception", "java.");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyWereSent() throws Exception {
    server =
        builder()
            .workers(4, 100)
            .get(
                "/echo/{n}",
                Access.OPEN,
                r -> {
                  Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                  return Response.text(200, r.pathParam("n"));
                })
            .start();

    int count = 60;
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < count; i++) {
      requests.append("GET /echo/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      Pattern body = Pattern.compile("\r\n\r\n(\\d+)");
      byte[] buffer = new byte[8192];
      while (countMatches(body, received.toString(StandardCharsets.US_ASCII)) < count) {
        int n = in.read(buffer);
        assertThat(n).as("connection open").isPositive();
        received.write(buffer, 0, n);
      }
      Matcher m = body.matcher(received.toString(StandardCharsets.US_ASCII));
      int expected = 0;
      while (m.find()) {
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(expected++);
      }
      assertThat(expected).isEqualTo(count);
    }
  }

  private static int countMatches(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A body of {@code chunks} chunks of 64 KiB, produced only as the connection asks for them. */
  private static final class Generated extends StreamedBody {
    private final int chunks;
    private int produced;
    final AtomicBoolean closed = new AtomicBoolean();

    Generated(int chunks) {
      this.chunks = chunks;
    }

    @Override
    public boolean isEndOfInput() {
      return produced == chunks;
    }

    @Override
    public void close() {
      closed.set(true);
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
      if (isEndOfInput()) {
        return null;
      }
      produced++;
      ByteBuf chunk = allocator.buffer(65536);
      chunk.writeZero(65536);
      return chunk;
    }

    @Override
    public long progress() {
      return produced;
    }
  }

  @Test
  void aStreamedBodyIsWrittenChunkByChunkAndClosedAtTheEnd() throws Exception {
    Generated body = new Generated(320);
    server = streaming("/big", body);

    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/big"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("transfer-encoding")).contains("chunked");
    long total = 0;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
      }
    }
    assertThat(total).isEqualTo(320L * 65536);
    await().atMost(Duration.ofSeconds(5)).untilTrue(body.closed);
  }

  @Test
  void aStreamIsOnlyProducedAsFastAsTheClientReads() throws Exception {
    Generated body = new Generated(100_000);
    server = streaming("/huge", body);

    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.getOutputStream().write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      socket.getOutputStream().flush();
      // The client reads nothing: the server stops producing once the socket buffers are full,
      // long before the 100,000 chunks (6.5 GB) of the body.
      long[] last = {-1};
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                long now = body.progress();
                boolean settled = now > 0 && now == last[0];
                last[0] = now;
                return settled;
              });
      assertThat(body.progress()).isLessThan(1000);
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(body.closed);
  }

  @Test
  void aWebSocketFeedSendsSnapshotsAndRequiresTheToken() throws Exception {
    server =
        builder()
            .websocket(
                "/ws/groups/{group}/live",
                Access.TOKEN,
                r -> {
                  String group = r.pathParam("group");
                  if (!group.equals("orders")) {
                    throw HttpError.notFound("no group " + group);
                  }
                  return WebSocketFeed.every(Duration.ofMillis(50), () -> "{\"group\":\"orders\"}");
                })
            .start();

    List<String> messages = new CopyOnWriteArrayList<>();
    WebSocket socket =
        client
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + server.port()
                        + "/ws/groups/orders/live?access_token="
                        + TOKEN),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    ws.request(1);
                    return null;
                  }
                })
            .get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> messages.size() >= 3);
    assertThat(messages).allMatch(m -> m.equals("{\"group\":\"orders\"}"));
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

    String upgrade =
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    assertThat(raw("/ws/groups/orders/live", upgrade)).startsWith("HTTP/1.1 401");
    String unknown =
        raw("/ws/groups/payments/live", upgrade + "Authorization: Bearer " + TOKEN + "\r\n");
    assertThat(unknown).startsWith("HTTP/1.1 404").endsWith("{\"error\":\"no group payments\"}");
  }

  /** One GET over a plain socket with extra header lines; the whole answer as text. */
  private String raw(String path, String headerLines) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headerLines + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void idleConnectionsAreClosedAndConnectionsBeyondTheMaximumRefused() throws Exception {
    server =
        builder()
            .idleTimeout(Duration.ofMillis(300))
            .maxConnections(2)
            .get("/x", Access.OPEN, r -> Response.text(200, "x"))
            .start();

    try (Socket first = new Socket("127.0.0.1", server.port());
        Socket second = new Socket("127.0.0.1", server.port());
        Socket third = new Socket("127.0.0.1", server.port())) {
      third.setSoTimeout(5_000);
      assertThat(third.getInputStream().read()).as("third connection closed").isEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.refusedConnections() == 1);

      first.setSoTimeout(5_000);
      long start = System.nanoTime();
      assertThat(first.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void aFullWorkerQueueIsAnswered503() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server =
        builder()
            .workers(1, 1)
            .get(
                "/slow",
                Access.OPEN,
                r -> {
                  release.await(10, TimeUnit.SECONDS);
                  return Response.text(200, "slow");
                })
            .get("/fast", Access.OPEN, r -> Response.text(200, "fast"))
            .start();
    var slow =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    var queued =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/fast").statusCode() == 503);
    assertThat(server.refusedRequests()).isPositive();
    release.countDown();
    assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void requestsLargerThanTheLimitAreRefused() throws Exception {
    server =
        builder()
            .maxRequestBytes(1024)
            .post("/in", Access.OPEN, r -> Response.text(200, String.valueOf(r.body().length)))
            .start();
    assertThat(post("/in", "x".repeat(1000)).body()).isEqualTo("1000");
    assertThat(post("/in", "x".repeat(5000)).statusCode()).isEqualTo(413);
  }

  @Test
  void servesHttpsWithTheContextItIsGiven() throws Exception {
    SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
    server =
        builder()
            .tls(
                () -> {
                  try {
                    return SslContextBuilder.forServer(
                            certificate.certificate(), certificate.privateKey())
                        .build();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get("/x", Access.OPEN, r -> Response.text(200, "over tls"))
            .start();

    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", (X509Certificate) certificate.cert());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, factory.getTrustManagers(), null);
    HttpClient tlsClient = HttpClient.newBuilder().sslContext(ssl).build();
    HttpResponse<String> response =
        tlsClient.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/x")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("over tls");
    certificate.delete();
  }

  @Test
  void answersAreCountedByStatusAndAClientLeavingMidStreamIsAWriteFailure() throws Exception {
    Generated body = new Generated(100_000);
    server =
        builder()
            .get("/ok", Access.OPEN, r -> Response.text(200, "ok"))
            .get(
                "/broken",
                Access.OPEN,
                r -> {
                  throw new IllegalStateException("bug");
                })
            .get("/huge", Access.OPEN, r -> octetStream(body))
            .start();

    get("/ok");
    get("/missing");
    get("/missing");
    get("/broken");
    assertThat(server.clientErrors()).isEqualTo(2);
    assertThat(server.serverErrors()).isEqualTo(1);

    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      socket.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> body.progress() > 0);
      socket.setSoLinger(true, 0); // reset: the client goes away mid-answer
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.writeFailures() == 1);
    await().atMost(Duration.ofSeconds(5)).untilTrue(body.closed);
    assertThat(get("/ok").body()).as("the server still serves").isEqualTo("ok");
  }
}
