package io.groupwarden.coordinator.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets through only requests carrying {@code Authorization: Bearer <token>}, compared in constant
 * time; {@code /health} stays open for Kubernetes probes. Others get 401 and the connection closes.
 */
final class BearerTokenCheck extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final byte[] expected;

  BearerTokenCheck(String token) {
    super(false);
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri();
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    String given = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    boolean allowed =
        path.equals("/health")
            || (given != null
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected));
    if (allowed) {
      ctx.fireChannelRead(request);
      return;
    }
    request.release();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(),
            HttpResponseStatus.UNAUTHORIZED,
            Unpooled.copiedBuffer(
                "{\"error\":\"a bearer token is required\"}", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
