package io.groupwarden.sink.document;

/**
 * Why a message went to the dead-letter topic; the code travels in the {@code sink.error.reason}
 * header and as the {@code reason} tag of {@code consumer_processing_errors_total}.
 */
public enum RejectReason {
  /** The value is not parseable JSON (or not UTF-8, or has content after the JSON). */
  INVALID_JSON,
  /** The value is valid JSON but not an object: an array, a string, a number, ... */
  NOT_A_JSON_OBJECT,
  /** The message has no value at all (a tombstone). */
  NULL_VALUE,
  /** {@code message_id} is present but not a non-empty string or an integer. */
  INVALID_MESSAGE_ID,
  /** A field name MongoDB cannot hold (it contains a NUL character). */
  INVALID_FIELD_NAME,
  /** MongoDB refused the document, also when it was retried and written alone. */
  STORE_REJECTED,
  /** MongoDB stayed unreachable through the retries (with {@code onStoreOutage: dead-letter}). */
  STORE_UNAVAILABLE
}
