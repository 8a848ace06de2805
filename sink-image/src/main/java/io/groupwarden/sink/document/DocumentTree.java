package io.groupwarden.sink.document;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
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
 * Reads a JSON object into a {@link BsonDocument} tree. The slower way, kept for objects that
 * repeat a field name: a tree keeps the last value of a repeated name (in the first one's place),
 * as JSON readers commonly do, where a stream of BSON bytes would hold the name twice.
 */
final class DocumentTree {
  private DocumentTree() {}

  /** A tree and the first field name MongoDB cannot hold (null when none). */
  record Read(BsonDocument document, String badName) {}

  /** Reads the fields of the object whose START_OBJECT was just read. */
  static Read read(JsonParser parser) throws IOException {
    BsonDocument document = new BsonDocument();
    // A placeholder keeps _id the first field, where MongoDB wants it.
    document.put(DocumentMapper.ID, BsonNull.VALUE);
    String badName = readFields(parser, document);
    return new Read(document, badName);
  }

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

  /** An integer as the narrowest BSON number that holds it exactly. */
  static BsonValue integer(JsonParser parser) throws IOException {
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
}
