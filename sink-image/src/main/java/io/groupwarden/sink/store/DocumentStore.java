package io.groupwarden.sink.store;

import io.groupwarden.sink.write.InsertResult;
import java.util.List;
import org.bson.BsonDocument;

/**
 * Where the documents go. Reports every outcome as an {@link InsertResult}; never throws for it.
 */
public interface DocumentStore {

  /** Inserts the documents unordered: one refused document does not stop the others. */
  InsertResult insert(List<BsonDocument> documents);
}
