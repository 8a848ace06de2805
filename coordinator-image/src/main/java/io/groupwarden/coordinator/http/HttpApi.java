package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.group.ClassicGroup;
import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.group.GroupMember;
import io.groupwarden.coordinator.group.OffsetAndMetadata;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.metrics.CoordinatorMetrics;
import io.groupwarden.coordinator.net.tls.ReloadingSslContext;
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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the broker: health, Prometheus metrics, a read-only view of consumer groups,
 * topics and messages, and the HTTP consume API.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final TopicStore topics;
  private final GroupCoordinator groups;
  private final CoordinatorMetrics metrics;
  private final ConsumeService consume;
  private final ExecutorService blocking =
      Executors.newCachedThreadPool(
          r -> {
            Thread thread = new Thread(r, "http-consume");
            thread.setDaemon(true);
            return thread;
          });
  private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel channel;
  private ReloadingSslContext tls;
  private String token;

  /** A reply: status and JSON body (or text for metrics). */
  record Reply(HttpResponseStatus status, Object body, String contentType) {
    static Reply json(Object body) {
      return new Reply(HttpResponseStatus.OK, body, "application/json");
    }

    static Reply error(HttpResponseStatus status, String message) {
      return new Reply(status, Map.of("error", message), "application/json");
    }
  }

  /** A request the client got wrong: answered with its status and message. */
  static final class BadRequest extends RuntimeException {
    final HttpResponseStatus status;

    BadRequest(HttpResponseStatus status, String message) {
      super(message);
      this.status = status;
    }
  }

  public HttpApi(
      TopicStore topics,
      GroupCoordinator groups,
      CoordinatorMetrics metrics,
      Map<String, Object> kafkaClient) {
    this.topics = topics;
    this.groups = groups;
    this.metrics = metrics;
    this.consume = new ConsumeService(kafkaClient);
  }

  /**
   * Serves TLS with {@code tls} when it is not null, and requires {@code token} as a bearer token
   * on every request but {@code /health} when it is not null. Call before {@link #start}.
   */
  public void protect(ReloadingSslContext tls, String token) {
    this.tls = tls;
    this.token = token;
  }

  public int start(String host, int port) throws InterruptedException {
    channel =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast("httpCodec", new HttpServerCodec());
                    ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 20));
                    if (token != null) {
                      ch.pipeline().addLast("token", new BearerTokenCheck(token));
                    }
                    ch.pipeline().addLast("routes", new Routes());
                  }
                })
            .bind(host, port)
            .sync()
            .channel();
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private final class Routes extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      CompletableFuture<Reply> reply;
      try {
        reply = route(request);
      } catch (BadRequest e) {
        reply = CompletableFuture.completedFuture(Reply.error(e.status, e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("HTTP {} {} failed", request.method(), request.uri(), e);
        reply =
            CompletableFuture.completedFuture(
                Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString()));
      }
      reply.whenComplete(
          (r, error) -> {
            Reply result = r;
            if (error != null) {
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              result =
                  cause instanceof BadRequest bad
                      ? Reply.error(bad.status, bad.getMessage())
                      : Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, cause.toString());
            }
            write(ctx, result, keepAlive);
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private static void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
    byte[] body;
    try {
      body =
          reply.body() instanceof String text
              ? text.getBytes(StandardCharsets.UTF_8)
              : JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(reply.body());
    } catch (Exception e) {
      body = ("{\"error\":\"" + e + "\"}").getBytes(StandardCharsets.UTF_8);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  CompletableFuture<Reply> route(FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String[] path = uri.path().replaceAll("/+$", "").split("/");
    HttpMethod method = request.method();
    String first = path.length > 1 ? path[1] : "";
    if (method.equals(HttpMethod.GET)) {
      switch (first) {
        case "health":
          return done(Reply.json(Map.of("status", "UP")));
        case "metrics":
          return done(
              new Reply(
                  HttpResponseStatus.OK,
                  metrics.scrape(),
                  "text/plain; version=0.0.4; charset=utf-8"));
        case "topics":
          if (path.length == 2) {
            return done(Reply.json(topicList()));
          }
          break;
        case "messages":
          if (path.length == 3) {
            return done(Reply.json(messages(path[2], intParam(uri, "limit", 10))));
          }
          break;
        case "consumer-groups":
          if (path.length == 2) {
            return groupList();
          }
          if (path.length == 3) {
            return groupDetail(path[2]);
          }
          if (path.length == 4 && path[3].equals("assignments")) {
            return assignments(path[2]);
          }
          break;
        default:
          break;
      }
    } else if (method.equals(HttpMethod.POST) && first.equals("consume") && path.length == 2) {
      ConsumeService.ConsumeRequest consumeRequest = parseConsume(request);
      if (topics.get(consumeRequest.topic()) == null) {
        throw new BadRequest(
            HttpResponseStatus.NOT_FOUND, "topic '" + consumeRequest.topic() + "' does not exist");
      }
      return CompletableFuture.supplyAsync(
          () -> Reply.json(consume.consume(consumeRequest)), blocking);
    }
    throw new BadRequest(
        HttpResponseStatus.NOT_FOUND, "no such endpoint: " + method + " " + uri.path());
  }

  private static CompletableFuture<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }

  private static int intParam(QueryStringDecoder uri, String name, int fallback) {
    List<String> values = uri.parameters().get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(values.get(0));
      if (value <= 0 || value > 10_000) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequest(
          HttpResponseStatus.BAD_REQUEST,
          name + " must be a whole number from 1 to 10000, not '" + values.get(0) + "'");
    }
  }

  static ConsumeService.ConsumeRequest parseConsume(FullHttpRequest request) {
    JsonNode body;
    try {
      body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new BadRequest(
          HttpResponseStatus.BAD_REQUEST, "the body must be a JSON object: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw new BadRequest(HttpResponseStatus.BAD_REQUEST, "the body must be a JSON object");
    }
    String topic = text(body, "topic");
    String groupId = text(body, "group_id");
    int maxMessages = body.has("max_messages") ? body.get("max_messages").asInt(-1) : 10;
    double timeout = body.has("timeout") ? body.get("timeout").asDouble(-1) : 5;
    if (maxMessages <= 0 || maxMessages > 10_000) {
      throw new BadRequest(HttpResponseStatus.BAD_REQUEST, "max_messages must be from 1 to 10000");
    }
    if (timeout < 0 || timeout > 300) {
      throw new BadRequest(HttpResponseStatus.BAD_REQUEST, "timeout must be from 0 to 300 seconds");
    }
    return new ConsumeService.ConsumeRequest(topic, groupId, maxMessages, (long) (timeout * 1000));
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new BadRequest(
          HttpResponseStatus.BAD_REQUEST,
          "'" + field + "' is required and must be a non-empty string");
    }
    return node.asText();
  }

  private List<Map<String, Object>> topicList() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Topic topic : topics.all()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", topic.name());
      entry.put("id", topic.id().toString());
      entry.put("partitions", topic.partitions().size());
      long messages = 0;
      for (PartitionLog log : topic.partitions()) {
        messages += log.highWatermark() - log.logStartOffset();
      }
      entry.put("messages", messages);
      list.add(entry);
    }
    return list;
  }

  /** The newest {@code limit} messages of a topic, oldest first. */
  private List<Map<String, Object>> messages(String topicName, int limit) {
    Topic topic = topics.get(topicName);
    if (topic == null) {
      throw new BadRequest(
          HttpResponseStatus.NOT_FOUND, "topic '" + topicName + "' does not exist");
    }
    List<Map<String, Object>> found = new ArrayList<>();
    for (PartitionLog log : topic.partitions()) {
      long from = Math.max(log.logStartOffset(), log.highWatermark() - limit);
      long next = from;
      while (next < log.highWatermark()) {
        PartitionLog.ReadResult read = log.read(next, 1 << 20, true);
        if (read.records().sizeInBytes() == 0) {
          break;
        }
        for (RecordBatch batch : read.records().batches()) {
          for (Record record : batch) {
            if (record.offset() >= from) {
              found.add(message(log.partition().partition(), record));
            }
          }
          next = batch.nextOffset();
        }
      }
    }
    found.sort(Comparator.comparingLong(m -> (Long) m.get("timestamp")));
    return found.size() > limit ? found.subList(found.size() - limit, found.size()) : found;
  }

  static Map<String, Object> message(int partition, Record record) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partition", partition);
    m.put("offset", record.offset());
    m.put("timestamp", record.timestamp());
    m.put("key", record.hasKey() ? decode(record.key()) : null);
    m.put("value", record.hasValue() ? decode(record.value()) : null);
    return m;
  }

  /** JSON values come back as JSON, anything else as a string. */
  static Object decode(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return decode(bytes);
  }

  static Object decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[") || trimmed.startsWith("\"")) {
      try {
        return JSON.readTree(trimmed);
      } catch (Exception e) {
        return text;
      }
    }
    return text;
  }

  private CompletableFuture<Reply> groupList() {
    return groups
        .list(Set.of(), Set.of())
        .thenApply(
            listed -> {
              List<Map<String, Object>> list = new ArrayList<>();
              listed.forEach(
                  g -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("groupId", g.groupId());
                    entry.put("state", g.groupState());
                    entry.put("protocolType", g.protocolType());
                    list.add(entry);
                  });
              list.sort(Comparator.comparing(m -> (String) m.get("groupId")));
              return Reply.json(list);
            });
  }

  private record GroupView(
      String state,
      int generation,
      String protocolType,
      String protocol,
      String leader,
      List<Map<String, Object>> members,
      Map<TopicPartition, OffsetAndMetadata> offsets) {}

  private CompletableFuture<GroupView> view(String groupId) {
    return groups.inspect(
        groupId,
        shard -> {
          ClassicGroup group = shard.group(groupId);
          if (group == null) {
            return null;
          }
          List<Map<String, Object>> members = new ArrayList<>();
          for (GroupMember member : group.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("memberId", member.memberId());
            m.put("groupInstanceId", member.groupInstanceId());
            m.put("clientId", member.clientId());
            m.put("clientHost", member.clientHost());
            m.put("assignment", assignedPartitions(group, member));
            members.add(m);
          }
          return new GroupView(
              group.state().wireName(),
              group.generationId(),
              group.protocolType(),
              group.protocolName(),
              group.leaderId(),
              members,
              shard.committedOffsets(groupId));
        });
  }

  private static List<Map<String, Object>> assignedPartitions(
      ClassicGroup group, GroupMember member) {
    List<Map<String, Object>> result = new ArrayList<>();
    if (!"consumer".equals(group.protocolType()) || member.assignment().length == 0) {
      return result;
    }
    try {
      Assignment assignment =
          ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(member.assignment()));
      Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
      for (TopicPartition tp : assignment.partitions()) {
        byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
      }
      byTopic.forEach(
          (topic, partitions) -> {
            partitions.sort(Integer::compare);
            result.add(Map.of("topic", topic, "partitions", partitions));
          });
    } catch (RuntimeException e) {
      result.add(Map.of("error", "unreadable assignment"));
    }
    return result;
  }

  private CompletableFuture<Reply> groupDetail(String groupId) {
    return view(groupId)
        .thenApply(
            view -> {
              if (view == null) {
                throw new BadRequest(
                    HttpResponseStatus.NOT_FOUND, "group '" + groupId + "' does not exist");
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("groupId", groupId);
              body.put("state", view.state());
              body.put("generation", view.generation());
              body.put("protocolType", view.protocolType());
              body.put("protocol", view.protocol());
              body.put("leader", view.leader());
              List<Map<String, Object>> members = new ArrayList<>();
              view.members()
                  .forEach(
                      m -> {
                        Map<String, Object> copy = new LinkedHashMap<>(m);
                        copy.remove("assignment");
                        members.add(copy);
                      });
              body.put("members", members);
              List<Map<String, Object>> offsets = new ArrayList<>();
              long totalLag = 0;
              List<Map.Entry<TopicPartition, OffsetAndMetadata>> entries =
                  new ArrayList<>(view.offsets().entrySet());
              entries.sort(
                  Comparator.comparing(
                          (Map.Entry<TopicPartition, OffsetAndMetadata> e) -> e.getKey().topic())
                      .thenComparing(e -> e.getKey().partition()));
              for (Map.Entry<TopicPartition, OffsetAndMetadata> e : entries) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("topic", e.getKey().topic());
                o.put("partition", e.getKey().partition());
                o.put("committedOffset", e.getValue().offset());
                Topic topic = topics.get(e.getKey().topic());
                PartitionLog log = topic == null ? null : topic.partition(e.getKey().partition());
                if (log != null) {
                  long lag = Math.max(0, log.highWatermark() - e.getValue().offset());
                  o.put("logEndOffset", log.highWatermark());
                  o.put("lag", lag);
                  totalLag += lag;
                }
                offsets.add(o);
              }
              body.put("offsets", offsets);
              body.put("totalLag", totalLag);
              return Reply.json(body);
            });
  }

  private CompletableFuture<Reply> assignments(String groupId) {
    return view(groupId)
        .thenApply(
            view -> {
              if (view == null) {
                throw new BadRequest(
                    HttpResponseStatus.NOT_FOUND, "group '" + groupId + "' does not exist");
              }
              List<Map<String, Object>> list = new ArrayList<>();
              view.members()
                  .forEach(
                      m -> {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("memberId", m.get("memberId"));
                        entry.put("clientId", m.get("clientId"));
                        entry.put("assignment", m.get("assignment"));
                        list.add(entry);
                      });
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("groupId", groupId);
              body.put("generation", view.generation());
              body.put("members", list);
              return Reply.json(body);
            });
  }

  @Override
  public void close() {
    consume.close();
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    blocking.shutdownNow();
  }
}
