package io.groupwarden.sink.store;

import io.groupwarden.sink.write.InsertResult;
import java.util.List;
import org.bson.BsonDocument;

/**
 * Where the documents go. Reports every outcome of an insert as an {@link InsertResult}; never
 * throws for it.
 */
public interface DocumentStore extends AutoCloseable {

  /**
   * Creates the indexes the sink relies on, idempotently.
   *
   * @throws RuntimeException when the store cannot be reached; the worker tries again
   */
  void ensureIndexes();

  /** Inserts the documents unordered: one refused document does not stop the others. */
  InsertResult insert(List<BsonDocument> documents);

  /** True while the store's client sees a server it can write to. */
  boolean writable();

  @Override
  void close();
}
