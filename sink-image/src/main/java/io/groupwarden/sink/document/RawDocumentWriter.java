package io.groupwarden.sink.document;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import org.bson.BsonArray;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Decimal128;

/**
 * Writes a JSON object from Jackson's token stream straight into BSON bytes with the bson library's
 * {@link BsonBinaryWriter}: no tree of values in between, and the driver sends the bytes as they
 * are (a {@link RawBsonDocument} is copied, not encoded again). The buffers are reused from one
 * message to the next, so one instance serves one thread.
 *
 * <p>The document is {@code _id}, the object's fields in their order (without a top-level {@code
 * _id} or {@code received_at} of the value's own), then {@code received_at}. The {@code _id} is
 * known only at the end, so the fields are written to one buffer and the {@code _id} to another,
 * and the two are joined in the final byte array.
 */
final class RawDocumentWriter {
  private final BasicOutputBuffer body = new AsciiFastOutputBuffer(1024);
  private final BasicOutputBuffer id = new AsciiFastOutputBuffer(128);

  /** What the value's own {@code message_id} turned out to be. */
  private BsonValue messageId;

  private String badName;

  /**
   * The outcome of one object's fields: the first name MongoDB cannot hold (null when none) and the
   * value of its top-level {@code message_id} (null when absent).
   */
  record Fields(String badName, BsonValue messageId) {}

  /**
   * Writes the fields of the object whose START_OBJECT the parser has just read, up to its
   * END_OBJECT, then {@code received_at}; {@link #withId} completes the document. After a bad field
   * name the parser is still read to the end, so that broken JSON is told apart.
   */
  Fields write(JsonParser parser, long receivedAtMillis) throws IOException {
    messageId = null;
    badName = null;
    body.truncateToPosition(0);
    BsonBinaryWriter writer = new BsonBinaryWriter(body);
    writer.writeStartDocument();
    topLevelFields(parser, writer);
    if (badName != null) {
      return new Fields(badName, null);
    }
    writer.writeDateTime(DocumentMapper.RECEIVED_AT, receivedAtMillis);
    writer.writeEndDocument();
    return new Fields(null, messageId);
  }

  /** Joins {@code _id} and the fields written by the last {@link #write} into the document. */
  RawBsonDocument withId(BsonValue value) {
    id.truncateToPosition(0);
    BsonBinaryWriter writer = new BsonBinaryWriter(id);
    writer.writeStartDocument();
    writer.writeName(DocumentMapper.ID);
    if (value.isString()) {
      writer.writeString(value.asString().getValue());
    } else if (value.isInt32()) {
      writer.writeInt32(value.asInt32().getValue());
    } else {
      writer.writeInt64(value.asInt64().getValue());
    }
    writer.writeEndDocument();
    // {size}{_id element}{0} and {size}{fields}{0} become {size}{_id element}{fields}{0}
    int idLength = id.getPosition();
    int bodyLength = body.getPosition();
    int length = idLength + bodyLength - 5;
    byte[] bytes = new byte[length];
    System.arraycopy(id.getInternalBuffer(), 0, bytes, 0, idLength - 1);
    System.arraycopy(body.getInternalBuffer(), 4, bytes, idLength - 1, bodyLength - 4);
    bytes[0] = (byte) length;
    bytes[1] = (byte) (length >> 8);
    bytes[2] = (byte) (length >> 16);
    bytes[3] = (byte) (length >> 24);
    return new RawBsonDocument(bytes);
  }

  private void topLevelFields(JsonParser parser, BsonBinaryWriter writer) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if (name.equals(DocumentMapper.ID) || name.equals(DocumentMapper.RECEIVED_AT)) {
        parser.skipChildren(); // the worker sets these two
        continue;
      }
      if (!checkName(name)) {
        parser.skipChildren();
        continue;
      }
      if (badName == null) {
        writer.writeName(name);
      }
      if (name.equals(DocumentMapper.MESSAGE_ID)) {
        messageId = messageIdValue(parser, token);
      }
      value(parser, token, writer);
    }
  }

  private void fields(JsonParser parser, BsonBinaryWriter writer) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if (!checkName(name)) {
        parser.skipChildren();
        continue;
      }
      if (badName == null) {
        writer.writeName(name);
      }
      value(parser, token, writer);
    }
  }

  /** False for a name MongoDB cannot hold (it has a NUL); the first one is kept for the error. */
  private boolean checkName(String name) {
    if (name.indexOf('\0') >= 0) {
      if (badName == null) {
        badName = name;
      }
      return false;
    }
    return true;
  }

  private void value(JsonParser parser, JsonToken token, BsonBinaryWriter writer)
      throws IOException {
    boolean write = badName == null;
    switch (token) {
      case START_OBJECT -> {
        if (write) {
          writer.writeStartDocument();
        }
        fields(parser, writer);
        if (badName == null) {
          writer.writeEndDocument();
        }
      }
      case START_ARRAY -> {
        if (write) {
          writer.writeStartArray();
        }
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
          value(parser, element, writer);
        }
        if (badName == null) {
          writer.writeEndArray();
        }
      }
      case VALUE_STRING -> {
        if (write) {
          writer.writeString(parser.getText());
        }
      }
      case VALUE_NUMBER_INT -> {
        if (write) {
          integer(parser, writer);
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        if (write) {
          writer.writeDouble(parser.getDoubleValue());
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        if (write) {
          writer.writeBoolean(token == JsonToken.VALUE_TRUE);
        }
      }
      case VALUE_NULL -> {
        if (write) {
          writer.writeNull();
        }
      }
      default -> throw new IllegalStateException("unexpected JSON token " + token);
    }
  }

  private static void integer(JsonParser parser, BsonBinaryWriter writer) throws IOException {
    switch (parser.getNumberType()) {
      case INT -> writer.writeInt32(parser.getIntValue());
      case LONG -> writer.writeInt64(parser.getLongValue());
      default -> {
        // Beyond 64 bits: Decimal128 keeps up to 34 digits exactly; longer ones stay text.
        BigDecimal big = new BigDecimal(parser.getBigIntegerValue());
        if (big.precision() <= 34) {
          writer.writeDecimal128(new Decimal128(big));
        } else {
          writer.writeString(parser.getText());
        }
      }
    }
  }

  /**
   * What {@code message_id} is as a BSON value; only its type matters when it cannot be an {@code
   * _id}, so containers are named by an empty value of their type.
   */
  private static BsonValue messageIdValue(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> new BsonString(parser.getText());
      case VALUE_NUMBER_INT -> DocumentTree.integer(parser);
      case VALUE_NUMBER_FLOAT -> new BsonDouble(parser.getDoubleValue());
      case VALUE_TRUE, VALUE_FALSE -> BsonBoolean.valueOf(token == JsonToken.VALUE_TRUE);
      case VALUE_NULL -> BsonNull.VALUE;
      case START_OBJECT -> new BsonDocument();
      case START_ARRAY -> new BsonArray();
      default -> throw new IllegalStateException("unexpected JSON token " + token);
    };
  }
}
