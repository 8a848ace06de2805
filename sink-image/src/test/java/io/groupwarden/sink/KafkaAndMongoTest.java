package io.groupwarden.sink;

import com.mongodb.client.MongoCollection;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class against the shared Kafka broker and a MongoDB wire server of its own. */
abstract class KafkaAndMongoTest {
  static final Duration LONG = Duration.ofMinutes(2);
  static KafkaBroker broker;
  static KafkaFixture kafka;
  static MongoWireServer mongo;

  @BeforeAll
  static void startKafkaAndMongo() {
    broker = KafkaBroker.shared();
    kafka = new KafkaFixture(broker.bootstrapServers());
    mongo = MongoWireServer.start();
  }

  @AfterAll
  static void stopKafkaAndMongo() {
    mongo.close();
    kafka.close();
  }

  static MongoCollection<Document> collection(String name) {
    return mongo.collection(name);
  }
}
