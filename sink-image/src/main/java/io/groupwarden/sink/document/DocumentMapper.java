package io.groupwarden.sink.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Turns a message value into the document stored for it: the JSON object's fields as they are,
 * {@code _id} from its {@code message_id} (else the message's coordinates, so a re-delivered
 * message hits the same {@code _id}), and {@code received_at}.
 *
 * <p>Streams the JSON once with Jackson straight into BSON values, without a tree in between. Pure:
 * the same bytes and coordinates always give the same document.
 */
public final class DocumentMapper {
  public static final String ID = "_id";
  public static final String MESSAGE_ID = "message_id";
  public static final String RECEIVED_AT = "received_at";

  private static final JsonFactory JSON = new JsonFactory();

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
    try (JsonParser parser = JSON.createParser(value)) {
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
      BsonDocument document = new BsonDocument();
      // A placeholder keeps _id the first field, where MongoDB wants it.
      document.put(ID, BsonNull.VALUE);
      String badName = readFields(parser, document);
      requireEnd(parser);
      if (badName != null) {
        return new MappedValue.Rejected(
            RejectReason.INVALID_FIELD_NAME,
            "field name '" + badName.replace("\0", "\\u0000") + "' contains a NUL character");
      }
      BsonValue messageId = document.get(MESSAGE_ID);
      BsonValue id;
      if (messageId == null || messageId.isNull()) {
        id = new BsonString(coordinatesId(topic, partition, offset));
      } else if (validMessageId(messageId)) {
        id = messageId;
      } else {
        return new MappedValue.Rejected(
            RejectReason.INVALID_MESSAGE_ID,
            "message_id must be a non-empty string or an integer, not "
                + messageId.getBsonType().name().toLowerCase(java.util.Locale.ROOT));
      }
      document.put(ID, id);
      document.put(RECEIVED_AT, new BsonDateTime(receivedAtMillis));
      return new MappedValue.Stored(document);
    } catch (JsonProcessingException e) {
      return new MappedValue.Rejected(RejectReason.INVALID_JSON, describe(e));
    } catch (IOException e) {
      // Parsing a byte array does no I/O; this is here for the checked signature only.
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the fields of the object whose START_OBJECT was just read; returns a bad name if any. */
  private static String readFields(JsonParser parser, BsonDocument into) throws IOException {
    String badName = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (badName == null && name.indexOf('\0') >= 0) {
        badName = name;
      }
      parser.nextToken();
      ValueRead read = readValue(parser);
      into.put(name, read.value);
      if (badName == null) {
        badName = read.badName;
      }
    }
    return badName;
  }

  private record ValueRead(BsonValue value, String badName) {}

  private static ValueRead readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        BsonDocument document = new BsonDocument();
        String badName = readFields(parser, document);
        return new ValueRead(document, badName);
      case START_ARRAY:
        BsonArray array = new BsonArray();
        String badInArray = null;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          ValueRead element = readValue(parser);
          array.add(element.value);
          if (badInArray == null) {
            badInArray = element.badName;
          }
        }
        return new ValueRead(array, badInArray);
      case VALUE_STRING:
        return new ValueRead(new BsonString(parser.getText()), null);
      case VALUE_NUMBER_INT:
        return new ValueRead(integer(parser), null);
      case VALUE_NUMBER_FLOAT:
        return new ValueRead(new BsonDouble(parser.getDoubleValue()), null);
      case VALUE_TRUE:
        return new ValueRead(BsonBoolean.TRUE, null);
      case VALUE_FALSE:
        return new ValueRead(BsonBoolean.FALSE, null);
      case VALUE_NULL:
        return new ValueRead(BsonNull.VALUE, null);
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }

  private static BsonValue integer(JsonParser parser) throws IOException {
    switch (parser.getNumberType()) {
      case INT:
        return new BsonInt32(parser.getIntValue());
      case LONG:
        return new BsonInt64(parser.getLongValue());
      default:
        // Beyond 64 bits: Decimal128 keeps up to 34 digits exactly; longer ones stay text.
        BigDecimal big = new BigDecimal(parser.getBigIntegerValue());
        if (big.precision() <= 34) {
          return new BsonDecimal128(new Decimal128(big));
        }
        return new BsonString(parser.getText());
    }
  }

  private static void requireEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw new JsonProcessingException(
          "unexpected content after the JSON value", parser.currentLocation()) {};
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
      default -> token.name().toLowerCase(java.util.Locale.ROOT);
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
