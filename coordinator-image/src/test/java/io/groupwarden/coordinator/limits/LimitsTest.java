package io.groupwarden.coordinator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.HttpText;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes of a careless or hostile client, each bounded by a limit while others are served. */
class LimitsTest {
  @TempDir Path dir;

  @Test
  void aTopicFloodIsBoundedAndOthersAreServedWithinASecond() throws Exception {
    try (RunningCoordinator broker =
            RunningCoordinator.start(Map.of("max-topics", "40", "topic-creation-rate", "2"));
        Admin flooder = Clients.admin(broker.bootstrapServers());
        KafkaProducer<String, String> other = Clients.producer(broker.bootstrapServers())) {
      other.send(new ProducerRecord<>("bystander", "before")).get(10, TimeUnit.SECONDS);
      List<NewTopic> flood =
          IntStream.range(0, 500).mapToObj(i -> new NewTopic("flood-" + i, 1, (short) 1)).toList();
      CreateTopicsResult result =
          flooder.createTopics(flood, new CreateTopicsOptions().retryOnQuotaViolation(false));
      int created = 0;
      int throttled = 0;
      for (var future : result.values().values()) {
        try {
          future.get(30, TimeUnit.SECONDS);
          created++;
        } catch (ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOfAny(
                  ThrottlingQuotaExceededException.class, PolicyViolationException.class);
          throttled++;
        }
      }
      assertThat(created).isBetween(1, 25);
      assertThat(throttled).isEqualTo(500 - created);
      // and with the quota refilled, the topic count stops at --max-topics
      for (int round = 0; round < 40 && broker.coordinator().topics().all().size() < 40; round++) {
        flooder.createTopics(flood, new CreateTopicsOptions().retryOnQuotaViolation(false)).all();
        Thread.sleep(500);
      }
      assertThat(broker.coordinator().topics().all()).hasSizeLessThanOrEqualTo(40);
      long start = System.nanoTime();
      other.send(new ProducerRecord<>("bystander", "after")).get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(get(broker, "/metrics")).contains("limit=\"controller_mutation_rate\"");
    }
  }

  @Test
  void aMetadataRequestForTenThousandNewTopicsDoesNotDelayAnotherClient() throws Exception {
    try (RunningCoordinator broker =
            RunningCoordinator.start(
                Map.of(
                    "max-topics",
                    "20000",
                    "max-partitions",
                    "20000",
                    "topic-creation-rate",
                    "100000"));
        Socket flood = new Socket("127.0.0.1", broker.coordinator().kafkaPort())) {
      // Connections go to the network threads in turn (as many threads as cores, at least two),
      // so of twice that many opened right after the flooding one, some share its thread.
      List<Socket> others = new ArrayList<>();
      try {
        for (int i = 0; i < 2 * Math.max(2, Runtime.getRuntime().availableProcessors()); i++) {
          others.add(new Socket("127.0.0.1", broker.coordinator().kafkaPort()));
        }
        List<MetadataRequestTopic> topics = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
          topics.add(new MetadataRequestTopic().setName("many-" + i));
        }
        send(
            flood,
            new MetadataRequest.Builder(
                    new MetadataRequestData().setTopics(topics).setAllowAutoTopicCreation(true))
                .build((short) 12)
                .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "flood", 1)));
        // wait until creation is under way, then ask on the other connections meanwhile
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broker.coordinator().topics().all().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(broker.coordinator().topics().all()).isNotEmpty();
        // Were the topics created on a network thread, a connection sharing it would be answered
        // only after all ten thousand; every answer comes while they are still being created,
        // however loaded the machine (creating them takes far longer than these round trips).
        for (int i = 0; i < others.size(); i++) {
          Socket other = others.get(i);
          send(
              other,
              new ApiVersionsRequest.Builder()
                  .build((short) 3)
                  .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "o", i)));
          readFrame(other);
          assertThat(broker.coordinator().topics().all().size())
              .as("topics created when connection %s was answered", i)
              .isLessThan(10_000);
        }
      } finally {
        for (Socket other : others) {
          other.close();
        }
      }
    }
  }

  @Test
  void idleConnectionsAreClosedAfterTheTimeout() throws Exception {
    try (RunningCoordinator broker =
            RunningCoordinator.start(Map.of("connections-max-idle", "500ms"));
        Socket idle = new Socket("127.0.0.1", broker.coordinator().kafkaPort())) {
      idle.setSoTimeout(10_000);
      long start = System.nanoTime();
      assertThat(idle.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
      assertThat(get(broker, "/metrics")).contains("limit=\"connections.max.idle.ms\"");
    }
  }

  @Test
  void connectionCapsRefuseTheConnectionsOverThem() throws Exception {
    try (RunningCoordinator broker =
        RunningCoordinator.start(Map.of("max-connections-per-ip", "3", "max-connections", "100"))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          Socket socket = new Socket("127.0.0.1", broker.coordinator().kafkaPort());
          socket.setSoTimeout(5_000);
          sockets.add(socket);
        }
        // which three are admitted depends on the order the I/O threads see them
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 5; i++) {
          Socket socket = sockets.get(i);
          try {
            send(
                socket,
                new ApiVersionsRequest.Builder()
                    .build((short) 3)
                    .serializeWithHeader(
                        new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "c", i)));
            readFrame(socket);
            served++;
          } catch (java.io.IOException closed) {
            refused++;
          }
        }
        assertThat(served).isEqualTo(3);
        assertThat(refused).isEqualTo(2);
        assertThat(get(broker, "/metrics")).contains("limit=\"max.connections.per.ip\"");
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }

  @Test
  void manyMaximumSizeFramesAtAPodSizedHeapDoNotTakeTheBrokerDown() throws Exception {
    try (ChildBroker broker = new ChildBroker(dir.resolve("data")).withHeap("-Xmx768m").start()) {
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        Thread sender =
            new Thread(
                () -> {
                  byte[] chunk = new byte[1 << 20];
                  new Random().nextBytes(chunk);
                  try (Socket socket = new Socket("127.0.0.1", broker.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(ByteBuffer.allocate(4).putInt(104_857_600).array());
                    for (int i = 0; i < 100; i++) {
                      out.write(chunk);
                    }
                    out.flush();
                  } catch (Exception e) {
                    // closed by the broker: expected once the garbage is parsed
                  }
                });
        sender.start();
        senders.add(sender);
      }
      // while the frames are in flight, another client is served
      try (Admin admin = Clients.admin(broker.bootstrapServers())) {
        assertThat(admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS)).isNotBlank();
      }
      for (Thread sender : senders) {
        sender.join(120_000);
      }
      assertThat(broker.isAlive()).isTrue();
      try (Admin admin = Clients.admin(broker.bootstrapServers())) {
        assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isNotBlank();
      }
      assertThat(java.nio.file.Files.readString(broker.log())).doesNotContain("OutOfMemoryError");
    }
  }

  static void send(Socket socket, ByteBuffer request) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(ByteBuffer.allocate(4).putInt(request.remaining()).array());
    out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
    out.flush();
  }

  static byte[] readFrame(Socket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return body;
  }

  static int readOrReset(Socket socket) throws Exception {
    InputStream in = socket.getInputStream();
    try {
      return in.read();
    } catch (SocketException reset) {
      return -1;
    }
  }

  static String get(RunningCoordinator broker, String path) throws Exception {
    return HttpText.get(broker.httpBase() + path);
  }
}
