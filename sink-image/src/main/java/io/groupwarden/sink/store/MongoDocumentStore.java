package io.groupwarden.sink.store;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.connection.ClusterDescription;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;
import com.mongodb.event.ConnectionClosedEvent;
import com.mongodb.event.ConnectionCreatedEvent;
import com.mongodb.event.ConnectionPoolListener;
import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.write.InsertResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.bson.BsonSerializationException;
import org.bson.codecs.configuration.CodecConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MongoDB collection the worker writes to, through the synchronous driver. */
public final class MongoDocumentStore implements DocumentStore {
  private static final Logger LOG = LoggerFactory.getLogger(MongoDocumentStore.class);

  /** An outage should show within seconds, not the driver's default of 30. */
  private static final int SERVER_SELECTION_TIMEOUT_MS = 5_000;

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final InsertManyOptions UNORDERED = new InsertManyOptions().ordered(false);

  private final MongoClient client;
  private final MongoCollection<BsonDocument> collection;
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicBoolean writable = new AtomicBoolean();

  public MongoDocumentStore(SinkConfig.Mongo config, String applicationName) {
    ConnectionString uri = new ConnectionString(config.uri().value());
    MongoClientSettings.Builder settings =
        MongoClientSettings.builder()
            .applyConnectionString(uri)
            .applicationName(applicationName)
            .applyToClusterSettings(
                cluster -> {
                  if (uri.getServerSelectionTimeout() == null) {
                    cluster.serverSelectionTimeout(
                        SERVER_SELECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                  }
                  cluster.addClusterListener(new WritableServerWatch());
                })
            .applyToSocketSettings(
                socket -> {
                  if (uri.getConnectTimeout() == null) {
                    socket.connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                  }
                })
            .applyToConnectionPoolSettings(
                pool -> pool.addConnectionPoolListener(new ConnectionCount()));
    config.writeConcern().ifPresent(settings::writeConcern);
    this.client = MongoClients.create(settings.build());
    this.collection =
        client
            .getDatabase(config.database())
            .getCollection(config.collection(), BsonDocument.class);
  }

  /**
   * Creates the indexes the sink relies on. Idempotent, and safe when many replicas start at once:
   * creating an index that exists with the same keys is a no-op for MongoDB; one that exists with
   * other options is kept as it is (someone made it so on purpose).
   */
  @Override
  public void ensureIndexes() {
    for (String field : List.of("created_at", "received_at")) {
      try {
        collection.createIndex(Indexes.ascending(field));
      } catch (MongoCommandException e) {
        if (e.getErrorCode() == 85 || e.getErrorCode() == 86) {
          LOG.warn(
              "an index on {} exists with other options; keeping it: {}",
              field,
              e.getErrorMessage());
        } else {
          throw e;
        }
      }
    }
  }

  @Override
  public InsertResult insert(List<BsonDocument> documents) {
    try {
      collection.insertMany(documents, UNORDERED);
      return InsertResult.Written.all(documents.size());
    } catch (MongoBulkWriteException e) {
      return fromBulkWriteError(e, documents.size());
    } catch (MongoInterruptedException e) {
      Thread.currentThread().interrupt();
      return new InsertResult.Unavailable("interrupted: " + e.getMessage());
    } catch (MongoSocketException
        | MongoTimeoutException
        | MongoNotPrimaryException
        | MongoNodeIsRecoveringException
        | MongoWriteConcernException
        | MongoSecurityException e) {
      return new InsertResult.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (MongoException e) {
      if (e.hasErrorLabel("RetryableWriteError")
          || e.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)) {
        return new InsertResult.Unavailable(e.getCode() + ": " + e.getMessage());
      }
      return new InsertResult.Failed(e.getCode() + ": " + e.getMessage());
    } catch (BsonSerializationException
        | CodecConfigurationException
        | IllegalArgumentException e) {
      return new InsertResult.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Reads the outcome from the write errors: the exception's inserted count cannot be trusted with
   * every server (mongo-java-server counts all documents sent), and an unordered insert stores
   * every document that has no write error.
   */
  static InsertResult fromBulkWriteError(MongoBulkWriteException e, int sent) {
    int duplicates = 0;
    Map<Integer, String> refused = new HashMap<>();
    for (BulkWriteError error : e.getWriteErrors()) {
      if (ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        duplicates++;
      } else {
        refused.put(error.getIndex(), error.getCode() + ": " + error.getMessage());
      }
    }
    if (e.getWriteConcernError() != null) {
      // The documents reached the primary but not enough replicas said so; write them again
      // (what is there counts as a duplicate then) until the write concern is met.
      return new InsertResult.Unavailable(
          "write concern not satisfied: " + e.getWriteConcernError().getMessage());
    }
    int inserted = sent - e.getWriteErrors().size();
    return new InsertResult.Written(inserted, duplicates, refused);
  }

  /** Connections the driver holds open to MongoDB, for {@code consumer_active_connections}. */
  public int openConnections() {
    return openConnections.get();
  }

  /** True while the driver sees a server it can write to. */
  @Override
  public boolean writable() {
    return writable.get();
  }

  @Override
  public void close() {
    client.close();
  }

  private final class ConnectionCount implements ConnectionPoolListener {
    @Override
    public void connectionCreated(ConnectionCreatedEvent event) {
      openConnections.incrementAndGet();
    }

    @Override
    public void connectionClosed(ConnectionClosedEvent event) {
      openConnections.decrementAndGet();
    }
  }

  private final class WritableServerWatch implements ClusterListener {
    @Override
    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
      ClusterDescription description = event.getNewDescription();
      writable.set(description.hasWritableServer());
    }
  }
}
