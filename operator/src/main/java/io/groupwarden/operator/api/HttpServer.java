package io.groupwarden.operator.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP server: health, readiness and metrics open to the kubelet and Prometheus,
 * everything under {@code /api/} and the WebSocket feeds behind the bearer token. Routes are
 * matched by longest path prefix; handlers run off the event loop because they may read Kubernetes
 * or Kafka state.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final int requestedPort;
  private final BearerToken token;
  private final Map<String, HttpRoute> open = new LinkedHashMap<>();
  private final Map<String, HttpRoute> protectedRoutes = new LinkedHashMap<>();
  private final Map<String, LiveRoute> liveRoutes = new LinkedHashMap<>();
  private final ExecutorService handlers =
      Executors.newFixedThreadPool(
          2,
          runnable -> {
            Thread thread = new Thread(runnable, "http-handler");
            thread.setDaemon(true);
            return thread;
          });
  private EventLoopGroup group;
  private Channel channel;
  private String host = "0.0.0.0";

  public HttpServer(int port, BearerToken token) {
    this.requestedPort = port;
    this.token = token;
  }

  /** Binds to one address (127.0.0.1 on a workstation) instead of every interface. */
  public HttpServer bindTo(String address) {
    this.host = address;
    return this;
  }

  /** A route anyone may call (health, readiness, metrics). */
  public HttpServer open(String pathPrefix, HttpRoute route) {
    open.put(pathPrefix, route);
    return this;
  }

  /** A route that requires the bearer token. */
  public HttpServer guarded(String pathPrefix, HttpRoute route) {
    protectedRoutes.put(pathPrefix, route);
    return this;
  }

  /**
   * A WebSocket route that requires the bearer token, in the Authorization header or, for browsers
   * that cannot set headers on a WebSocket, in an {@code access_token} query parameter.
   */
  public HttpServer live(String pathPrefix, LiveRoute route) {
    liveRoutes.put(pathPrefix, route);
    return this;
  }

  public HttpServer start() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast("dispatch", new Dispatcher());
                  }
                });
    channel = bootstrap.bind(new InetSocketAddress(host, requestedPort)).sync().channel();
    LOG.info("HTTP server listening on {}:{}", host, port());
    return this;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
    handlers.shutdownNow();
  }

  HttpReply answer(HttpCall call) {
    HttpRoute route = longestPrefix(open, call.path());
    if (route == null) {
      route = longestPrefix(protectedRoutes, call.path());
      if (route != null && !token.admits(call.authorization())) {
        return HttpReply.text(401, "a valid bearer token is required\n");
      }
    }
    if (route == null) {
      return HttpReply.text(404, "no such endpoint: " + call.path() + "\n");
    }
    try {
      return route.handle(call);
    } catch (IllegalArgumentException e) {
      return HttpReply.text(400, e.getMessage() + "\n");
    } catch (Exception e) {
      LOG.warn("HTTP handler for {} failed", call.path(), e);
      return HttpReply.text(500, "internal error\n");
    }
  }

  private static <T> T longestPrefix(Map<String, T> routes, String path) {
    T best = null;
    int bestLength = -1;
    for (Map.Entry<String, T> entry : routes.entrySet()) {
      String prefix = entry.getKey();
      boolean matches =
          prefix.equals("/")
              ? path.equals("/")
              : path.equals(prefix)
                  || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
      if (matches && prefix.length() > bestLength) {
        best = entry.getValue();
        bestLength = prefix.length();
      }
    }
    return best;
  }

  private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (!request.decoderResult().isSuccess()) {
        write(ctx, HttpReply.text(400, "malformed request\n"), false);
        return;
      }
      QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
      HttpCall call =
          new HttpCall(
              request.method().name(),
              decoder.path(),
              decoder.parameters(),
              request.headers().get(HttpHeaderNames.AUTHORIZATION));
      LiveRoute live = longestPrefix(liveRoutes, call.path());
      if (live != null) {
        upgrade(ctx, request, call, live);
        return;
      }
      handlers.execute(() -> write(ctx, answer(call), keepAlive));
    }

    private void upgrade(
        ChannelHandlerContext ctx, FullHttpRequest request, HttpCall call, LiveRoute route) {
      String queryToken = call.param("access_token", null);
      if (!token.admits(call.authorization())
          && !(queryToken != null && token.admits("Bearer " + queryToken))) {
        write(ctx, HttpReply.text(401, "a valid bearer token is required\n"), false);
        return;
      }
      LiveFeed feed;
      try {
        feed = route.open(call);
      } catch (IllegalArgumentException e) {
        write(ctx, HttpReply.text(400, e.getMessage() + "\n"), false);
        return;
      } catch (java.util.NoSuchElementException e) {
        write(ctx, HttpReply.text(404, e.getMessage() + "\n"), false);
        return;
      }
      WebSocketServerHandshaker handshaker =
          new WebSocketServerHandshakerFactory(
                  "ws://" + request.headers().get(HttpHeaderNames.HOST) + call.path(), null, false)
              .newHandshaker(request);
      if (handshaker == null) {
        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
        return;
      }
      handshaker
          .handshake(ctx.channel(), request)
          .addListener(
              done -> {
                if (done.isSuccess()) {
                  ctx.pipeline().replace(this, "live", new LiveFeedHandler(handshaker, feed));
                }
              });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("HTTP connection error", cause);
      ctx.close();
    }

    private void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(reply.status()),
              Unpooled.wrappedBuffer(reply.body()));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
      if (keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
