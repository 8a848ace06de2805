package io.groupwarden.sink.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.MongoWireServer;
import io.groupwarden.sink.config.Secret;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.write.InsertResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MongoDocumentStoreTest {
  private static MongoWireServer mongo;

  @BeforeAll
  static void startMongo() {
    mongo = MongoWireServer.start();
  }

  @AfterAll
  static void stopMongo() {
    mongo.close();
  }

  private static MongoDocumentStore store(String collection) {
    return new MongoDocumentStore(
        new SinkConfig.Mongo(
            new Secret(mongo.uri()), MongoWireServer.DATABASE, collection, Optional.empty()),
        "test");
  }

  private static List<BsonDocument> documents(String... ids) {
    List<BsonDocument> documents = new ArrayList<>();
    for (String id : ids) {
      documents.add(BsonDocument.parse("{_id: '" + id + "', v: 1}"));
    }
    return documents;
  }

  @Test
  void aBatchIsInserted() {
    try (MongoDocumentStore store = store("plain")) {
      InsertResult result = store.insert(documents("a", "b", "c"));

      assertThat(result).isEqualTo(InsertResult.Written.all(3));
      assertThat(mongo.collection("plain").countDocuments()).isEqualTo(3);
    }
  }

  @Test
  void documentsAlreadyStoredCountAsDuplicatesAndTheRestIsInserted() {
    try (MongoDocumentStore store = store("dups")) {
      store.insert(documents("a", "c"));

      InsertResult result = store.insert(documents("a", "b", "c", "d"));

      assertThat(result).isEqualTo(new InsertResult.Written(2, 2, java.util.Map.of()));
      assertThat(mongo.collection("dups").countDocuments()).isEqualTo(4);
    }
  }

  @Test
  void indexesAreCreatedAndCreatingThemAgainIsHarmless() {
    try (MongoDocumentStore first = store("indexed");
        MongoDocumentStore second = store("indexed")) {
      first.ensureIndexes();
      second.ensureIndexes();
      first.ensureIndexes();
    }
    List<String> names = new ArrayList<>();
    mongo.collection("indexed").listIndexes().forEach(index -> names.add(index.getString("name")));
    assertThat(names).contains("created_at_1", "received_at_1");
  }

  @Test
  void anUnreachableServerIsReportedAsUnavailable() {
    try (MongoDocumentStore store =
        new MongoDocumentStore(
            new SinkConfig.Mongo(
                new Secret(
                    "mongodb://127.0.0.1:"
                        + io.groupwarden.testkit.FreePort.pick()
                        + "/?serverSelectionTimeoutMS=300"),
                "sinktest",
                "nowhere",
                Optional.empty()),
            "test")) {
      assertThat(store.insert(documents("a"))).isInstanceOf(InsertResult.Unavailable.class);
      assertThat(store.writable()).isFalse();
    }
  }

  @Test
  void theStoreReportsItsConnectionsAndWhetherItCanWrite() {
    try (MongoDocumentStore store = store("observed")) {
      store.insert(documents("x"));

      assertThat(store.openConnections()).isPositive();
      // the driver reports the server's description to its listener on its own thread
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(store::writable);
    }
  }
}
