package io.groupwarden.sink.document;

import org.bson.BsonDocument;

/** A message value turned into the document to store, or the reason it cannot be one. */
public sealed interface MappedValue {

  /** The document to insert: {@code _id} first, the value's fields, then {@code received_at}. */
  record Stored(BsonDocument document) implements MappedValue {}

  /** The value cannot be stored; it goes to the dead-letter topic with this reason. */
  record Rejected(RejectReason reason, String message) implements MappedValue {}
}
