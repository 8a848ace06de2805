package io.groupwarden.coordinator.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The HTTP consume API. Each (group, topic) gets a real Kafka consumer connected to this broker, so
 * it joins the group like any member; it returns at most {@code max_messages} and commits exactly
 * what it returned. Consumers idle for a minute leave their group.
 */
final class ConsumeService implements AutoCloseable {
  private static final long IDLE_MS = 60_000;

  record ConsumeRequest(String topic, String groupId, int maxMessages, long timeoutMs) {}

  private record Key(String groupId, String topic) {}

  private static final class Session {
    final KafkaConsumer<byte[], byte[]> consumer;
    long lastUsed;

    Session(KafkaConsumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
    }
  }

  private final Map<String, Object> kafkaClient;
  private final Map<Key, Session> sessions = new ConcurrentHashMap<>();

  /**
   * @param kafkaClient how a Kafka client reaches this broker: the bootstrap address and, for an
   *     internal listener, its security settings
   */
  ConsumeService(Map<String, Object> kafkaClient) {
    this.kafkaClient = Map.copyOf(kafkaClient);
  }

  Map<String, Object> consume(ConsumeRequest request) {
    closeIdle();
    Key key = new Key(request.groupId(), request.topic());
    Session session = sessions.computeIfAbsent(key, k -> open(k));
    synchronized (session) {
      session.lastUsed = System.currentTimeMillis();
      List<Map<String, Object>> messages = new ArrayList<>();
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      Map<TopicPartition, Long> rewind = new LinkedHashMap<>();
      Map<TopicPartition, Long> first = new HashMap<>();
      long deadline = System.currentTimeMillis() + request.timeoutMs();
      do {
        long wait = Math.max(0, Math.min(200, deadline - System.currentTimeMillis()));
        for (ConsumerRecord<byte[], byte[]> record :
            session.consumer.poll(Duration.ofMillis(wait))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (messages.size() < request.maxMessages() && !rewind.containsKey(tp)) {
            first.putIfAbsent(tp, record.offset());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partition", record.partition());
            m.put("offset", record.offset());
            m.put("timestamp", record.timestamp());
            m.put("key", HttpApi.decode(record.key()));
            m.put("value", HttpApi.decode(record.value()));
            messages.add(m);
            commit.put(tp, new OffsetAndMetadata(record.offset() + 1));
          } else {
            rewind.putIfAbsent(tp, record.offset());
          }
        }
      } while (messages.size() < request.maxMessages() && System.currentTimeMillis() < deadline);
      // Records fetched beyond max_messages are read again next time.
      rewind.forEach(session.consumer::seek);
      if (!commit.isEmpty()) {
        try {
          session.consumer.commitSync(commit);
        } catch (RuntimeException e) {
          // Not committed, so not consumed: whoever owns the partitions next reads them again.
          first.forEach(
              (tp, offset) -> {
                if (session.consumer.assignment().contains(tp)) {
                  session.consumer.seek(tp, offset);
                }
              });
          throw new HttpApi.BadRequest(
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              "the group is rebalancing and nothing was committed; retry: " + e.getMessage());
        }
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("topic", request.topic());
      body.put("group_id", request.groupId());
      body.put("count", messages.size());
      body.put("messages", messages);
      return body;
    }
  }

  private Session open(Key key) {
    Properties props = new Properties();
    props.putAll(kafkaClient);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, key.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "http-consume-" + key.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(key.topic()));
    return new Session(consumer);
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    Iterator<Map.Entry<Key, Session>> it = sessions.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Session> entry = it.next();
      Session session = entry.getValue();
      synchronized (session) {
        if (session.lastUsed > 0 && now - session.lastUsed > IDLE_MS) {
          it.remove();
          session.consumer.close(Duration.ofSeconds(5));
        }
      }
    }
  }

  @Override
  public void close() {
    sessions
        .values()
        .forEach(
            s -> {
              synchronized (s) {
                s.consumer.close(Duration.ofSeconds(2));
              }
            });
    sessions.clear();
  }
}
