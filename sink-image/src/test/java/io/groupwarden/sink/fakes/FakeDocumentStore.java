package io.groupwarden.sink.fakes;

import io.groupwarden.sink.store.DocumentStore;
import io.groupwarden.sink.write.InsertResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * An in-memory {@link DocumentStore} that behaves as MongoDB does for the worker: an unordered
 * insert stores every document whose {@code _id} is new, counts the others as duplicates, and
 * refuses the documents a test marks. It can be taken down and brought back.
 */
public class FakeDocumentStore implements DocumentStore {
  private final Map<BsonValue, BsonDocument> documents = new LinkedHashMap<>();
  private final List<Integer> insertSizes = new ArrayList<>();
  private final Set<BsonValue> refused = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private int indexCalls;
  private boolean closed;

  /** The store stops answering: inserts report it unreachable, index creation throws. */
  public void down() {
    down = true;
  }

  public void up() {
    down = false;
  }

  /** Documents with this {@code _id} are refused one by one, as MongoDB refuses a bad document. */
  public void refuse(BsonValue id) {
    refused.add(id);
  }

  @Override
  public synchronized void ensureIndexes() {
    indexCalls++;
    if (down) {
      throw new IllegalStateException("the store is down");
    }
  }

  @Override
  public synchronized InsertResult insert(List<BsonDocument> batch) {
    insertSizes.add(batch.size());
    if (down) {
      return new InsertResult.Unavailable("the store is down");
    }
    int inserted = 0;
    int duplicates = 0;
    Map<Integer, String> refusedAt = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      BsonDocument document = batch.get(i);
      BsonValue id = document.get("_id");
      if (refused.contains(id)) {
        refusedAt.put(i, "121: document failed validation");
      } else if (documents.putIfAbsent(id, document.clone()) == null) {
        inserted++;
      } else {
        duplicates++;
      }
    }
    return new InsertResult.Written(inserted, duplicates, refusedAt);
  }

  @Override
  public boolean writable() {
    return !down;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  public synchronized Map<BsonValue, BsonDocument> documents() {
    return new LinkedHashMap<>(documents);
  }

  /** The size of every insert, in order, including those that failed. */
  public synchronized List<Integer> insertSizes() {
    return List.copyOf(insertSizes);
  }

  public synchronized int indexCalls() {
    return indexCalls;
  }

  public synchronized boolean closed() {
    return closed;
  }
}
