package io.groupwarden.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.common.DaemonThreads;
import io.groupwarden.common.KubeDuration;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the operator, the coordinator and the sink worker. Routes are method + path
 * template; handlers run on a bounded pool of worker threads, never on the network thread; each
 * connection's requests are answered one at a time and in order, which is what HTTP/1.1 pipelining
 * requires; requests, connections and idle time are bounded.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder("operator")
 *     .bind("0.0.0.0", 8080)
 *     .token(new BearerToken(System.getenv("API_TOKEN")))
 *     .get("/healthz", Access.OPEN, request -> Response.text(200, "ok\n"))
 *     .get("/api/v1/groups/{group}", Access.TOKEN, request -> Response.json(find(request.pathParam("group"))))
 *     .start();
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /**
   * How often refused connections, refused requests and clients that went away mid-answer are
   * logged: one line per interval with the counts, never one line per event.
   */
  private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

  private final Builder settings;
  private final EventLoopGroup loop;
  private final ThreadPoolExecutor workers;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong refusedConnections = new AtomicLong();
  private final AtomicLong clientErrors = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();
  private final AtomicLong writeFailures = new AtomicLong();
  private final CountedWarnings warnings;
  private final Channel channel;

  private HttpServer(Builder settings) throws InterruptedException {
    this.settings = settings;
    this.loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.warnings = new CountedWarnings(settings.name + " HTTP", LOG::warn);
    this.workers =
        new ThreadPoolExecutor(
            settings.workerThreads,
            settings.workerThreads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(settings.queuedRequests),
            DaemonThreads.numbered(settings.name + "-http"),
            new RejectCounter(
                () -> warnings.count("requests answered 503 because every worker was busy")));
    this.workers.allowCoreThreadTimeOut(true);
    try {
      this.channel =
          new ServerBootstrap()
              .group(loop)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      assemble(ch);
                    }
                  })
              .bind(settings.host, settings.port)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownNow();
      throw e;
    }
    long every = WARNING_INTERVAL.toMillis();
    String interval = KubeDuration.format(WARNING_INTERVAL);
    loop.scheduleAtFixedRate(() -> warnings.report(interval), every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        "{} HTTP{} listening on {}:{}",
        settings.name,
        settings.tls != null ? "S" : "",
        address().getAddress().getHostAddress(),
        port());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The pipeline of one connection, in order. */
  private void assemble(SocketChannel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    pipeline.addLast("limit", new ConnectionLimit());
    if (settings.tls != null) {
      pipeline.addLast("tls", settings.tls.apply(ch.alloc()));
    }
    pipeline
        .addLast(
            "idle",
            new IdleStateHandler(0, 0, settings.idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .addLast("closeIdle", new CloseIdle())
        .addLast("codec", new HttpServerCodec())
        .addLast("aggregate", new HttpObjectAggregator(settings.maxRequestBytes))
        .addLast("chunks", new ChunkedWriteHandler())
        .addLast("requests", new HttpConnection(this));
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** Connections refused because the server had its maximum. */
  public long refusedConnections() {
    return refusedConnections.get();
  }

  /** Requests answered 503 because every worker was busy and the queue full. */
  public long refusedRequests() {
    return ((RejectCounter) workers.getRejectedExecutionHandler()).count();
  }

  /** Answers with a 4xx status: requests the client got wrong, unknown paths, missing tokens. */
  public long clientErrors() {
    return clientErrors.get();
  }

  /** Answers with a 5xx status, including the 503s of {@link #refusedRequests()}. */
  public long serverErrors() {
    return serverErrors.get();
  }

  /** Answers that could not be written completely; each closed its connection. */
  public long writeFailures() {
    return writeFailures.get();
  }

  /** Counts an answer by its status class; called for every answer the server starts writing. */
  void answered(int status) {
    if (status >= 500) {
      serverErrors.incrementAndGet();
    } else if (status >= 400) {
      clientErrors.incrementAndGet();
    }
  }

  /**
   * Counts an answer that could not be written. A client that went away is routine and reported in
   * the periodic summary; anything else is a fault of this side and logged at once.
   */
  void writeFailed(Throwable cause) {
    writeFailures.incrementAndGet();
    if (cause instanceof java.io.IOException) {
      warnings.count("answers cut short because the client went away");
      LOG.debug("an answer could not be written", cause);
    } else {
      LOG.warn("writing an answer failed; the connection was closed", cause);
    }
  }

  Routes routes() {
    return settings.routes;
  }

  /**
   * Every route served, as {@code METHOD /path/template} (WebSockets as {@code GET}): what a test
   * compares with a route's documentation.
   */
  public List<String> describeRoutes() {
    return settings.routes.describe();
  }

  BearerToken token() {
    return settings.token;
  }

  ObjectMapper json() {
    return settings.json;
  }

  int maxPipelined() {
    return settings.maxPipelined;
  }

  int maxRequestBytes() {
    return settings.maxRequestBytes;
  }

  int maxWebSocketFrameBytes() {
    return settings.maxRequestBytes;
  }

  boolean secure() {
    return settings.tls != null;
  }

  /**
   * Runs a handler on a worker; the answer is the stage it returns. A full queue answers 503 at
   * once rather than queueing without bound.
   */
  CompletableFuture<Response> dispatch(AsyncHandler handler, Request request) {
    CompletableFuture<Response> answer = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              handler
                  .handle(request)
                  .whenComplete(
                      (response, error) -> {
                        if (error != null) {
                          answer.completeExceptionally(error);
                        } else {
                          answer.complete(response);
                        }
                      });
            } catch (Throwable e) {
              answer.completeExceptionally(e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      answer.complete(Response.error(503, "the server is busy; try again"));
    }
    return answer;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownNow();
  }

  /** Closes a connection that has neither read nor written for the idle timeout. */
  private static final class CloseIdle extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent) {
        ctx.close();
      } else {
        super.userEventTriggered(ctx, event);
      }
    }
  }

  /** Counts open connections and closes those beyond the maximum at once. */
  private final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private boolean counted;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (connections.incrementAndGet() > settings.maxConnections) {
        connections.decrementAndGet();
        refusedConnections.incrementAndGet();
        warnings.count("connections refused (at most " + settings.maxConnections + " open)");
        ctx.close();
        return;
      }
      counted = true;
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (counted) {
        counted = false;
        connections.decrementAndGet();
      }
      super.channelInactive(ctx);
    }
  }

  /** Counts requests refused because the worker queue was full. */
  private static final class RejectCounter extends ThreadPoolExecutor.AbortPolicy {
    private final AtomicLong count = new AtomicLong();
    private final Runnable onReject;

    RejectCounter(Runnable onReject) {
      this.onReject = onReject;
    }

    @Override
    public void rejectedExecution(Runnable r, ThreadPoolExecutor executor) {
      count.incrementAndGet();
      onReject.run();
      super.rejectedExecution(r, executor);
    }

    long count() {
      return count.get();
    }
  }

  /** What a server serves and the bounds it keeps. */
  public static final class Builder {
    private final String name;
    private final Routes routes = new Routes();
    private String host = "127.0.0.1";
    private int port;
    private Function<ByteBufAllocator, SslHandler> tls;
    private BearerToken token = BearerToken.none();
    private ObjectMapper json = new ObjectMapper();
    private int maxRequestBytes = 64 * 1024;
    private int maxConnections = 1024;
    private Duration idleTimeout = Duration.ofMinutes(2);
    private int workerThreads = 4;
    private int queuedRequests = 1024;
    private int maxPipelined = 16;

    private Builder(String name) {
      this.name = name;
    }

    /** The address to listen on; port 0 picks a free one. Default 127.0.0.1. */
    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /**
     * Serve HTTPS. The supplier is asked for each new connection, so a context rebuilt from rotated
     * certificate files takes effect without a restart.
     */
    public Builder tls(Supplier<SslContext> context) {
      return tlsHandlers(allocator -> context.get().newHandler(allocator));
    }

    /** Serve HTTPS with a TLS handler made for each new connection by {@code handlers}. */
    public Builder tlsHandlers(Function<ByteBufAllocator, SslHandler> handlers) {
      this.tls = handlers;
      return this;
    }

    /** The token {@link Access#TOKEN} routes require; without one they refuse every request. */
    public Builder token(BearerToken token) {
      this.token = token;
      return this;
    }

    /** How JSON bodies are read and written. */
    public Builder json(ObjectMapper mapper) {
      this.json = mapper;
      return this;
    }

    /** The largest request (headers and body) accepted; larger ones get 413. Default 64 KiB. */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    /** Connections open at once; more are closed on arrival. Default 1024. */
    public Builder maxConnections(int connections) {
      this.maxConnections = connections;
      return this;
    }

    /** A connection with no traffic for this long is closed. Default 2 minutes. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** Worker threads and the requests that may wait for one (beyond: 503). Default 4 and 1024. */
    public Builder workers(int threads, int queued) {
      this.workerThreads = threads;
      this.queuedRequests = queued;
      return this;
    }

    public Builder get(String path, Access access, Handler handler) {
      return route("GET", path, access, handler);
    }

    public Builder post(String path, Access access, Handler handler) {
      return route("POST", path, access, handler);
    }

    public Builder route(String method, String path, Access access, Handler handler) {
      return routeAsync(
          method,
          path,
          access,
          request -> CompletableFuture.completedFuture(handler.handle(request)));
    }

    public Builder routeAsync(String method, String path, Access access, AsyncHandler handler) {
      routes.add(new Route(method, new PathTemplate(path), access, handler));
      return this;
    }

    /**
     * A WebSocket endpoint. With {@link Access#TOKEN}, browsers that cannot set headers on a
     * WebSocket may pass the token as an {@code access_token} query parameter.
     */
    public Builder websocket(String path, Access access, WebSocketRoute route) {
      routes.add(new SocketRoute(new PathTemplate(path), access, route));
      return this;
    }

    public HttpServer start() throws InterruptedException {
      return new HttpServer(this);
    }
  }
}
