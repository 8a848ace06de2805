package io.groupwarden.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection. Requests are answered one at a time in the order they arrived (HTTP/1.1
 * pipelining); while too many wait, the connection stops reading. Every failure while writing an
 * answer is logged and closes the connection.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

  private final HttpServer server;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private boolean busy;

  HttpConnection(HttpServer server) {
    this.server = server;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    waiting.add(request);
    waitingBytes += request.content().readableBytes();
    // Bounded by count and by bytes, so one client holds at most about two full-size requests.
    if (waiting.size() >= server.maxPipelined() || waitingBytes >= server.maxRequestBytes()) {
      ctx.channel().config().setAutoRead(false);
    }
    if (!busy) {
      next(ctx);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    FullHttpRequest request = waiting.poll();
    if (request == null) {
      ctx.channel().config().setAutoRead(true);
      return;
    }
    waitingBytes -= request.content().readableBytes();
    busy = true;
    try {
      serve(ctx, request);
    } finally {
      request.release();
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      write(ctx, Response.error(400, "malformed request"), false, false);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String method = request.method().name();
    boolean head = method.equals("HEAD");
    Map<String, String> headers = new HashMap<>();
    request
        .headers()
        .forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    boolean upgrade = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
    Routes.Match match = server.routes().match(method, uri.path(), upgrade);
    if (match instanceof Routes.WrongMethod wrong) {
      write(
          ctx,
          Response.error(405, method + " is not allowed on " + uri.path())
              .withHeader("Allow", String.join(", ", wrong.allowed())),
          keepAlive,
          head);
    } else if (match instanceof Routes.Socket socket) {
      Request call = request(ctx, method, uri, headers, socket.params(), new byte[0]);
      if (!admitted(socket.route().access(), call, true)) {
        write(ctx, Response.error(401, "a valid bearer token is required"), false, false);
        return;
      }
      upgrade(ctx, request, call, socket.route().route());
    } else if (match instanceof Routes.Found found) {
      Request call =
          request(
              ctx, method, uri, headers, found.params(), ByteBufUtil.getBytes(request.content()));
      if (!admitted(found.route().access(), call, false)) {
        write(ctx, Response.error(401, "a valid bearer token is required"), keepAlive, head);
        return;
      }
      server
          .dispatch(found.route().handler(), call)
          .handle((response, error) -> error == null ? response : failure(call, error))
          .thenApply(this::serialised)
          .whenComplete(
              (response, error) ->
                  ctx.executor()
                      .execute(
                          () ->
                              write(
                                  ctx,
                                  error == null ? response : Response.error(500, "internal error"),
                                  keepAlive,
                                  head)));
    } else {
      write(ctx, Response.error(404, "no such endpoint: " + uri.path()), keepAlive, head);
    }
  }

  private Request request(
      ChannelHandlerContext ctx,
      String method,
      QueryStringDecoder uri,
      Map<String, String> headers,
      Map<String, String> params,
      byte[] body) {
    return new Request(
        method,
        uri.path(),
        params,
        uri.parameters(),
        headers,
        body,
        ctx.channel().remoteAddress(),
        server.json());
  }

  private boolean admitted(Access access, Request call, boolean socket) {
    if (access == Access.OPEN) {
      return true;
    }
    return server.token().admits(call.header("authorization"))
        || (socket && server.token().matches(call.query("access_token", null)));
  }

  /** The answer to a handler that failed: its HttpError, or 500 with the cause logged. */
  private static Response failure(Request call, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpError http) {
      return Response.error(http.status(), http.getMessage());
    }
    LOG.warn("{} {} failed", call.method(), call.path(), cause);
    return Response.error(500, "internal error");
  }

  /** JSON bodies become bytes on the worker, not on the network thread. */
  private Response serialised(Response response) {
    if (response.body() instanceof Response.Json json) {
      try {
        Response bytes =
            Response.bytes(
                response.status(),
                response.contentType(),
                server.json().writeValueAsBytes(json.value()));
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
          bytes = bytes.withHeader(header.getKey(), header.getValue());
        }
        return bytes;
      } catch (Exception e) {
        LOG.warn("an answer could not be written as JSON", e);
        return Response.bytes(500, Response.JSON, "{\"error\":\"internal error\"}".getBytes());
      }
    }
    return response;
  }

  private void write(ChannelHandlerContext ctx, Response answer, boolean keepAlive, boolean head) {
    // Handlers' answers arrive serialised; the server's own small errors are serialised here.
    Response response = serialised(answer);
    if (!ctx.channel().isActive()) {
      closeStream(response);
      return;
    }
    HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
    server.answered(response.status());
    ChannelFuture done;
    try {
      if (response.body() instanceof Response.Stream stream && !head) {
        HttpResponse start = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        headers(start, response, keepAlive);
        HttpUtil.setTransferEncodingChunked(start, true);
        ctx.write(start);
        done = ctx.writeAndFlush(new HttpChunkedInput(stream.input()));
      } else {
        byte[] body = response.body() instanceof Response.Bytes bytes ? bytes.bytes() : new byte[0];
        closeStream(response);
        DefaultFullHttpResponse full =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        headers(full, response, keepAlive);
        full.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        done = ctx.writeAndFlush(full);
      }
    } catch (RuntimeException e) {
      server.writeFailed(e);
      closeStream(response);
      ctx.close();
      return;
    }
    done.addListener(
        (ChannelFutureListener)
            written -> {
              if (!written.isSuccess()) {
                server.writeFailed(written.cause());
                closeStream(response);
                ctx.close();
              } else if (!keepAlive) {
                ctx.close();
              } else {
                busy = false;
                next(ctx);
              }
            });
  }

  private static void headers(HttpResponse target, Response response, boolean keepAlive) {
    target.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    target.headers().set("X-Content-Type-Options", "nosniff");
    response.headers().forEach((name, value) -> target.headers().set(name, value));
    if (keepAlive) {
      target.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    } else {
      target.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private static void closeStream(Response response) {
    if (response.body() instanceof Response.Stream stream) {
      try {
        stream.input().close();
      } catch (Exception e) {
        LOG.debug("closing a streamed body failed", e);
      }
    }
  }

  private void upgrade(
      ChannelHandlerContext ctx, FullHttpRequest request, Request call, WebSocketRoute route) {
    WebSocketFeed feed;
    try {
      feed = route.open(call);
    } catch (HttpError e) {
      write(ctx, Response.error(e.status(), e.getMessage()), false, false);
      return;
    } catch (Exception e) {
      write(ctx, failure(call, e), false, false);
      return;
    }
    String scheme = server.secure() ? "wss://" : "ws://";
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(
                scheme + request.headers().get(HttpHeaderNames.HOST) + call.path(),
                null,
                false,
                server.maxWebSocketFrameBytes())
            .newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    handshaker
        .handshake(ctx.channel(), request)
        .addListener(
            (ChannelFutureListener)
                done -> {
                  if (!done.isSuccess()) {
                    ctx.close();
                    return;
                  }
                  ctx.pipeline().remove("idle");
                  ctx.pipeline().remove("closeIdle");
                  ctx.pipeline()
                      .replace(this, "websocket", new WebSocketConnection(handshaker, feed));
                  ctx.channel().config().setAutoRead(true);
                });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    FullHttpRequest request;
    while ((request = waiting.poll()) != null) {
      request.release();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection error", cause);
    ctx.close();
  }
}
