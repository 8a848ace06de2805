package io.groupwarden.coordinator.net;

import io.groupwarden.coordinator.net.sasl.SaslSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests may complete out of order (a parked JoinGroup, a long-polling
 * Fetch, a Produce waiting for its fsync), but Kafka clients expect responses in request order, so
 * each request takes a slot in a queue and responses leave from its head. The queue is touched only
 * on the channel's event loop.
 */
final class KafkaConnection {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

  private static final class Slot {
    /** The response frame as Netty messages (buffers and file regions); null for none. */
    List<Object> response;

    boolean done;
  }

  private static final ThrottledLog REJECTED =
      new ThrottledLog(LOG, "connections closed", 10_000, System::currentTimeMillis);

  private final Channel channel;
  private final RequestHandler handler;
  private final SupportedApis supported;
  private final ListenerContext context;

  /** The SASL state of a SASL listener's connection, else null. */
  private final SaslSession sasl;

  /** After a failed authentication nothing more is read; the connection closes shortly. */
  private boolean failing;

  private String tlsPrincipal;

  /** A response ready to leave (or, with {@code close}, a reason to close the connection). */
  private record Completion(Slot slot, List<Object> response, boolean close) {}

  /**
   * Requests taken in and not yet answered beyond which the connection reads no more until one is
   * answered: a client that sends without reading cannot make the broker hold answers for it
   * without bound. Kafka's own broker handles one request of a connection at a time.
   */
  static final int MAX_IN_FLIGHT = 100;

  private final ArrayDeque<Slot> slots = new ArrayDeque<>();

  /** Runs once an answer leaves while the connection is at {@link #MAX_IN_FLIGHT}; else null. */
  private Runnable whenRoom;

  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final String clientHost;

  /** Record bytes go to the socket straight from segment files; not through TLS. */
  private final boolean fileRegions;

  private boolean closed;

  KafkaConnection(Channel channel, ListenerContext context) {
    this.channel = channel;
    this.context = context;
    this.handler = context.handler();
    this.supported = context.supported();
    this.fileRegions = context.tls() == null;
    this.sasl =
        context.sasl() == null ? null : new SaslSession(context.sasl(), System::currentTimeMillis);
    this.clientHost =
        channel.remoteAddress() instanceof InetSocketAddress address
            ? address.getAddress() == null
                ? address.getHostString()
                : address.getAddress().toString()
            : "/" + channel.remoteAddress();
  }

  /** True while a SASL connection has not authenticated: its frames are kept small. */
  boolean authenticationPending() {
    return sasl != null && !sasl.authenticated();
  }

  void frameTooLarge() {
    context.metrics().limitHit("socket.request.max.bytes");
  }

  /** A frame without its length prefix. The caller releases it. */
  void onFrame(RequestFrameDecoder.Frame frame) {
    if (failing) {
      return;
    }
    ByteBuf content = frame.content();
    // A produce request is parsed where it lies: its batches are written to the segment from the
    // frame's own (direct) memory, so the frame is held until the request is answered. Other
    // requests are copied out and the frame goes back at once.
    boolean inPlace =
        content.readableBytes() >= 2
            && content.getShort(content.readerIndex()) == ApiKeys.PRODUCE.id
            && content.nioBufferCount() == 1;
    ByteBuffer buffer;
    if (inPlace) {
      buffer = content.nioBuffer();
    } else {
      buffer = ByteBuffer.allocate(content.readableBytes());
      content.readBytes(buffer);
      buffer.flip();
    }

    RequestHeader header;
    try {
      header = RequestHeader.parse(buffer);
    } catch (RuntimeException e) {
      reject("unreadable request header: " + e.getMessage());
      return;
    }
    ApiKeys key = header.apiKey();
    short version = header.apiVersion();
    if (key == ApiKeys.API_VERSIONS && !supported.supports(key, version)) {
      // KIP-511: answer with version 0 and the supported versions, so the client can pick one.
      respond(
          new RequestHeader(key, (short) 0, header.clientId(), header.correlationId()),
          CompletableFuture.completedFuture(
              supported.apiVersionsResponse(Errors.UNSUPPORTED_VERSION)));
      return;
    }
    if (!key.isVersionSupported(version)) {
      reject("cannot read " + key + " version " + version);
      return;
    }
    AbstractRequest request;
    try {
      request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(buffer)).request;
    } catch (RuntimeException e) {
      reject("malformed " + key + " v" + version + " request: " + e.getMessage());
      return;
    }
    if (!supported.supports(key, version)) {
      respond(
          header,
          CompletableFuture.completedFuture(
              request.getErrorResponse(
                  new UnsupportedVersionException(
                      key + " version " + version + " is not supported by this broker"))));
      return;
    }
    if (authenticationStep(header, request)) {
      return;
    }
    CompletableFuture<AbstractResponse> response;
    try {
      response =
          handler.handle(
              new ClientRequest(
                  header, request, clientHost, context.listener().name(), principal()));
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    if (inPlace) {
      frame.retain();
      response.whenComplete((r, error) -> frame.release());
    }
    respond(
        header,
        response.handle(
            (r, error) -> {
              if (error == null) {
                return r;
              }
              Throwable cause =
                  error instanceof java.util.concurrent.CompletionException
                          && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (!(cause instanceof org.apache.kafka.common.errors.ApiException)) {
                LOG.error("{} v{} failed", key, version, cause);
              }
              return request.getErrorResponse(cause);
            }),
        request);
  }

  /**
   * Serves SaslHandshake and SaslAuthenticate, and refuses other requests (but ApiVersions) until a
   * SASL connection has authenticated. True when the request was dealt with here.
   */
  private boolean authenticationStep(RequestHeader header, AbstractRequest request) {
    ApiKeys key = header.apiKey();
    boolean saslRequest = key == ApiKeys.SASL_HANDSHAKE || key == ApiKeys.SASL_AUTHENTICATE;
    if (sasl == null) {
      if (saslRequest) {
        respond(
            header,
            CompletableFuture.completedFuture(
                request.getErrorResponse(
                    new org.apache.kafka.common.errors.IllegalSaslStateException(
                        "listener " + context.listener().name() + " does not use SASL"))));
        failAuthentication("SASL on a listener without SASL", "none");
        return true;
      }
      return false;
    }
    if (key == ApiKeys.SASL_HANDSHAKE) {
      answerSasl(header, sasl.handshake((SaslHandshakeRequest) request), "SASL handshake refused");
      return true;
    }
    if (key == ApiKeys.SASL_AUTHENTICATE) {
      SaslSession.Step<? extends AbstractResponse> step =
          sasl.authenticate((SaslAuthenticateRequest) request);
      answerSasl(header, step, "SASL authentication failed");
      if (!step.fail() && step.reauthenticated()) {
        context.metrics().reauthenticated(context.listener().name(), sasl.mechanism());
      }
      return true;
    }
    if (key != ApiKeys.API_VERSIONS && !sasl.authenticated()) {
      context.metrics().authenticationFailed(context.listener().name(), "none");
      reject(
          sasl.principal() == null
              ? key + " before SASL authentication"
              : key + " after the SASL session expired");
      return true;
    }
    return false;
  }

  /** Answers nothing more and closes after the configured delay, which slows down guessing. */
  /** Sends a SASL step's response; a failed step then ends the connection. */
  private void answerSasl(
      RequestHeader header, SaslSession.Step<? extends AbstractResponse> step, String failure) {
    respond(header, CompletableFuture.completedFuture(step.response()));
    if (step.fail()) {
      failAuthentication(failure, sasl.mechanism());
    }
  }

  private void failAuthentication(String reason, String mechanism) {
    failing = true;
    context.metrics().authenticationFailed(context.listener().name(), mechanism);
    REJECTED.record(clientHost + " on " + context.listener().name() + ": " + reason);
    channel.flush();
    long delay = context.sasl() == null ? 0 : context.sasl().failureDelay().toMillis();
    channel.eventLoop().schedule(() -> channel.close(), delay, TimeUnit.MILLISECONDS);
  }

  /** Who the client is: the SASL user, the TLS client certificate's subject, or ANONYMOUS. */
  private String principal() {
    if (sasl != null) {
      return sasl.principal();
    }
    if (tlsPrincipal == null) {
      tlsPrincipal = "ANONYMOUS";
      SslHandler tls = channel.pipeline().get(SslHandler.class);
      if (tls != null) {
        try {
          tlsPrincipal = tls.engine().getSession().getPeerPrincipal().getName();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
          // no client certificate
        }
      }
    }
    return tlsPrincipal;
  }

  private void respond(RequestHeader header, CompletableFuture<AbstractResponse> future) {
    respond(header, future, null);
  }

  private void respond(
      RequestHeader header, CompletableFuture<AbstractResponse> future, AbstractRequest request) {
    Slot slot = new Slot();
    slots.add(slot);
    future.whenComplete(
        (response, error) -> {
          List<Object> bytes = null;
          boolean close = error != null;
          if (response != null) {
            try {
              bytes = serialize(header, response);
            } catch (RuntimeException e) {
              // A response that cannot be written at this version is a bug here; answer with an
              // error rather than leave the client waiting forever.
              LOG.error("cannot write {} v{} response", header.apiKey(), header.apiVersion(), e);
              try {
                bytes = request == null ? null : serialize(header, request.getErrorResponse(e));
              } catch (RuntimeException again) {
                bytes = null;
              }
              close = bytes == null;
            }
          }
          Completion completion = new Completion(slot, bytes, close);
          if (channel.eventLoop().inEventLoop()) {
            if (deliver(completion)) {
              channel.flush();
            }
          } else {
            completions.add(completion);
            if (drainScheduled.compareAndSet(false, true)) {
              channel.eventLoop().execute(this::drainCompletions);
            }
          }
        });
  }

  /**
   * Delivers the responses completed on other threads since the last drain, with one flush. Under
   * load a group shard completes many responses of one connection in a row; they cost the event
   * loop one task and one write instead of one each.
   */
  private void drainCompletions() {
    drainScheduled.set(false);
    boolean wrote = false;
    Completion completion;
    while ((completion = completions.poll()) != null) {
      wrote |= deliver(completion);
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** Puts a response in its slot and writes what is ready; true if something was written. */
  private boolean deliver(Completion completion) {
    if (completion.close()) {
      channel.close();
      return false;
    }
    return complete(completion.slot(), completion.response());
  }

  /** The response's frame, size prefix included; fetched records stay in their files. */
  private List<Object> serialize(RequestHeader header, AbstractResponse response) {
    return ResponseParts.of(header, response, channel.alloc(), fileRegions);
  }

  private static void release(List<Object> response) {
    if (response != null) {
      response.forEach(ReferenceCountUtil::safeRelease);
    }
  }

  /**
   * True when this connection has {@link #MAX_IN_FLIGHT} requests unanswered; {@code then} runs on
   * the event loop once one of them is answered. Called on the event loop.
   */
  boolean atInFlightLimit(Runnable then) {
    if (slots.size() < MAX_IN_FLIGHT) {
      return false;
    }
    whenRoom = then;
    return true;
  }

  private boolean complete(Slot slot, List<Object> response) {
    if (closed) {
      release(response);
      return false;
    }
    slot.response = response;
    slot.done = true;
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peek().done) {
      Slot head = slots.poll();
      if (head.response != null) {
        for (Object part : head.response) {
          channel.write(part);
        }
        wrote = true;
      }
    }
    if (whenRoom != null && slots.size() < MAX_IN_FLIGHT) {
      channel.eventLoop().execute(whenRoom);
      whenRoom = null;
    }
    return wrote;
  }

  private void reject(String reason) {
    REJECTED.record(clientHost + " on " + context.listener().name() + ": " + reason);
    channel.close();
  }

  void closed() {
    closed = true;
    for (Slot slot : slots) {
      release(slot.response);
    }
    slots.clear();
  }
}
