package io.groupwarden.sink.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Turns a message value into the document stored for it: the JSON object's fields as they are,
 * {@code _id} from its {@code message_id} (else the message's coordinates, so a re-delivered
 * message hits the same {@code _id}), and {@code received_at}.
 *
 * <p>Streams the JSON once with Jackson straight into BSON bytes ({@link RawDocumentWriter}); an
 * object that repeats a field name is read again into a tree ({@link DocumentTree}), which keeps
 * the last value. The same bytes and coordinates always give the same document. One instance serves
 * one thread: it reuses its buffers.
 */
public final class DocumentMapper {
  public static final String ID = "_id";
  public static final String MESSAGE_ID = "message_id";
  public static final String RECEIVED_AT = "received_at";

  /** Reports a repeated field name, so that such an object takes the tree path. */
  private static final JsonFactory STREAMING =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final JsonFactory TREE = new JsonFactory();

  private final RawDocumentWriter raw = new RawDocumentWriter();

  /**
   * The {@code _id} of a message without {@code message_id}: {@code <topic>:<partition>:<offset>}.
   */
  public static String coordinatesId(String topic, int partition, long offset) {
    return topic + ":" + partition + ":" + offset;
  }

  public MappedValue map(
      String topic, int partition, long offset, byte[] value, long receivedAtMillis) {
    if (value == null) {
      return new MappedValue.Rejected(
          RejectReason.NULL_VALUE, "the message has no value (a tombstone)");
    }
    try (JsonParser parser = STREAMING.createParser(value)) {
      MappedValue notAnObject = startObject(parser);
      if (notAnObject != null) {
        return notAnObject;
      }
      RawDocumentWriter.Fields fields = raw.write(parser, receivedAtMillis);
      requireEnd(parser);
      if (fields.badName() != null) {
        return badName(fields.badName());
      }
      Object id = id(fields.messageId(), topic, partition, offset);
      if (id instanceof MappedValue.Rejected rejected) {
        return rejected;
      }
      return new MappedValue.Stored(raw.withId((BsonValue) id));
    } catch (JsonParseException e) {
      if (repeatedName(e)) {
        return mapAsTree(topic, partition, offset, value, receivedAtMillis);
      }
      return new MappedValue.Rejected(RejectReason.INVALID_JSON, describe(e));
    } catch (JsonProcessingException e) {
      return new MappedValue.Rejected(RejectReason.INVALID_JSON, describe(e));
    } catch (IOException e) {
      // Parsing a byte array does no I/O; this is here for the checked signature only.
      throw new UncheckedIOException(e);
    }
  }

  /** The slower way, for an object that repeats a field name. */
  private static MappedValue mapAsTree(
      String topic, int partition, long offset, byte[] value, long receivedAtMillis) {
    try (JsonParser parser = TREE.createParser(value)) {
      MappedValue notAnObject = startObject(parser);
      if (notAnObject != null) {
        return notAnObject;
      }
      DocumentTree.Read read = DocumentTree.read(parser);
      requireEnd(parser);
      if (read.badName() != null) {
        return badName(read.badName());
      }
      BsonDocument document = read.document();
      Object id = id(document.get(MESSAGE_ID), topic, partition, offset);
      if (id instanceof MappedValue.Rejected rejected) {
        return rejected;
      }
      document.put(ID, (BsonValue) id);
      document.put(RECEIVED_AT, new BsonDateTime(receivedAtMillis));
      return new MappedValue.Stored(document);
    } catch (JsonProcessingException e) {
      return new MappedValue.Rejected(RejectReason.INVALID_JSON, describe(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the first token: null when it opens an object, else why the value is not one. */
  private static MappedValue startObject(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return new MappedValue.Rejected(RejectReason.INVALID_JSON, "the value is empty");
    }
    if (first != JsonToken.START_OBJECT) {
      parser.skipChildren();
      requireEnd(parser);
      return new MappedValue.Rejected(
          RejectReason.NOT_A_JSON_OBJECT,
          "the value is a JSON " + describe(first) + ", not an object");
    }
    return null;
  }

  /** The {@code _id} (a BsonValue), or the rejection of a {@code message_id} that cannot be one. */
  private static Object id(BsonValue messageId, String topic, int partition, long offset) {
    if (messageId == null || messageId.isNull()) {
      return new BsonString(coordinatesId(topic, partition, offset));
    }
    if (validMessageId(messageId)) {
      return messageId;
    }
    return new MappedValue.Rejected(
        RejectReason.INVALID_MESSAGE_ID,
        "message_id must be a non-empty string or an integer, not "
            + messageId.getBsonType().name().toLowerCase(Locale.ROOT));
  }

  private static MappedValue badName(String name) {
    return new MappedValue.Rejected(
        RejectReason.INVALID_FIELD_NAME,
        "field name '" + name.replace("\0", "\\u0000") + "' contains a NUL character");
  }

  private static boolean repeatedName(JsonParseException e) {
    String message = e.getOriginalMessage();
    return message != null && message.startsWith("Duplicate field '");
  }

  private static void requireEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw new JsonParseException(parser, "unexpected content after the JSON value");
    }
  }

  private static boolean validMessageId(BsonValue id) {
    return (id.isString() && !id.asString().getValue().isEmpty()) || id.isInt32() || id.isInt64();
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (e.getLocation() != null) {
      message +=
          " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")";
    }
    return message;
  }
}
