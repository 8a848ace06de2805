package io.groupwarden.sink.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DocumentMapperTest {
  private static final long RECEIVED_AT = 1_760_000_000_000L;
  private final DocumentMapper mapper = new DocumentMapper();

  private MappedValue map(String json) {
    return mapper.map(
        "orders", 3, 42, json == null ? null : json.getBytes(StandardCharsets.UTF_8), RECEIVED_AT);
  }

  private BsonDocument stored(String json) {
    MappedValue mapped = map(json);
    assertThat(mapped).isInstanceOf(MappedValue.Stored.class);
    return ((MappedValue.Stored) mapped).document();
  }

  @Test
  void theValueIsStoredAsItIsWithIdFirstAndReceivedAtAdded() {
    BsonDocument document =
        stored(
            "{\"message_id\":\"m-1\",\"amount\":12.5,\"count\":7,\"big\":9007199254740993,"
                + "\"ok\":true,\"none\":null,\"tags\":[\"a\",{\"b\":1}],\"customer\":{\"id\":\"c9\"}}");

    assertThat(document)
        .isEqualTo(
            BsonDocument.parse(
                    "{_id:'m-1',message_id:'m-1',amount:12.5,count:7,"
                        + "big:{$numberLong:'9007199254740993'},ok:true,none:null,"
                        + "tags:['a',{b:1}],customer:{id:'c9'}}")
                .append("received_at", new BsonDateTime(RECEIVED_AT)));
    assertThat(List.copyOf(document.keySet()))
        .startsWith("_id", "message_id")
        .endsWith("received_at");
  }

  @Test
  void withoutMessageIdTheIdIsTheMessagesCoordinates() {
    assertThat(stored("{\"a\":1}").get("_id")).isEqualTo(new BsonString("orders:3:42"));
    assertThat(stored("{\"message_id\":null}").get("_id")).isEqualTo(new BsonString("orders:3:42"));
  }

  @Test
  void anIntegerMessageIdStaysANumber() {
    assertThat(stored("{\"message_id\":12345678901}").get("_id"))
        .isEqualTo(new BsonInt64(12345678901L));
  }

  @Test
  void theSameMessageMapsToTheSameId() {
    assertThat(stored("{\"a\":1}").get("_id")).isEqualTo(stored("{\"a\":2}").get("_id"));
  }

  /** Invalid JSON, JSON that is not an object, a tombstone, a bad message id, a NUL in a name. */
  static Stream<Arguments> rejections() {
    return Stream.of(
        Arguments.of("{\"a\":", RejectReason.INVALID_JSON, "line 1"),
        Arguments.of("{\"a\":1} {\"b\":2}", RejectReason.INVALID_JSON, "unexpected content"),
        Arguments.of(
            "{\"a\":1} trailing", RejectReason.INVALID_JSON, "Unrecognized token 'trailing'"),
        Arguments.of("", RejectReason.INVALID_JSON, "empty"),
        Arguments.of("not json", RejectReason.INVALID_JSON, "Unrecognized token"),
        Arguments.of("[1,2]", RejectReason.NOT_A_JSON_OBJECT, "a JSON array, not an object"),
        Arguments.of("\"text\"", RejectReason.NOT_A_JSON_OBJECT, "string"),
        Arguments.of("42", RejectReason.NOT_A_JSON_OBJECT, "number"),
        Arguments.of("null", RejectReason.NOT_A_JSON_OBJECT, "null"),
        Arguments.of(null, RejectReason.NULL_VALUE, "no value"),
        Arguments.of("{\"message_id\":\"\"}", RejectReason.INVALID_MESSAGE_ID, "string"),
        Arguments.of("{\"message_id\":[1]}", RejectReason.INVALID_MESSAGE_ID, "array"),
        Arguments.of("{\"message_id\":1.5}", RejectReason.INVALID_MESSAGE_ID, "double"),
        Arguments.of("{\"a\":{\"b\\u0000c\":1}}", RejectReason.INVALID_FIELD_NAME, "b\\u0000c"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("rejections")
  void aValueThatCannotBeADocumentIsRejectedWithWhy(
      String json, RejectReason reason, String messagePart) {
    assertThat(map(json))
        .isInstanceOfSatisfying(
            MappedValue.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(reason);
              assertThat(r.message()).contains(messagePart);
            });
  }

  @Test
  void bytesThatAreNotUtf8AreInvalidJson() {
    MappedValue mapped =
        mapper.map(
            "orders", 0, 0, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, 0);
    assertThat(mapped)
        .isInstanceOfSatisfying(
            MappedValue.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_JSON));
  }

  @Test
  void integersBeyond64BitsKeepTheirDigits() {
    assertThat(stored("{\"n\":123456789012345678901234567890}").get("n").isDecimal128()).isTrue();
    String huge = "1".repeat(40);
    assertThat(stored("{\"n\":" + huge + "}").get("n")).isEqualTo(new BsonString(huge));
  }

  @Test
  void theDocumentIsBsonBytesReadyForTheDriver() {
    assertThat(stored("{\"a\":1}")).isInstanceOf(RawBsonDocument.class);
  }

  @Test
  void theValuesOwnIdAndReceivedAtAreReplaced() {
    BsonDocument document = stored("{\"_id\":\"mine\",\"a\":1,\"received_at\":\"yesterday\"}");
    assertThat(List.copyOf(document.keySet())).containsExactly("_id", "a", "received_at");
    assertThat(document.get("_id")).isEqualTo(new BsonString("orders:3:42"));
    assertThat(document.get("received_at")).isEqualTo(new BsonDateTime(RECEIVED_AT));
  }

  @Test
  void aRepeatedFieldNameKeepsItsLastValue() {
    BsonDocument document = stored("{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3}");
    assertThat(document)
        .isEqualTo(
            BsonDocument.parse("{_id:'orders:3:42',a:3,b:{c:2}}")
                .append("received_at", new BsonDateTime(RECEIVED_AT)));
    assertThat(List.copyOf(document.keySet())).containsExactly("_id", "a", "b", "received_at");
  }

  @Test
  void textOfAnyScriptSurvivesTheTrip() {
    BsonDocument document =
        stored("{\"t\":\"h\u00e9llo \u4e16\u754c \ud83d\ude00 \\\"q\\\" \\u0001\"}");
    assertThat(document.getString("t").getValue())
        .isEqualTo("h\u00e9llo \u4e16\u754c \ud83d\ude00 \"q\" \u0001");
  }

  @Test
  void theStreamedDocumentEqualsTheTreeInValuesAndOrder() {
    for (String json :
        List.of(
            "{\"e\":{}}",
            "{\"message_id\":7,\"x\":[1,2.5,\"s\",null,true,{\"y\":[]}],\"z\":{}}",
            "{\"big\":123456789012345678901234567890,\"huge\":" + "9".repeat(40) + "}",
            "{\"message_id\":null,\"n\":-2147483649}")) {
      BsonDocument streamed = stored(json);
      BsonDocument tree = stored(json.replaceFirst("\\{", "{\"dup\":0,\"dup\":1,"));
      tree.remove("dup");
      assertThat(streamed).as(json).isEqualTo(tree);
      assertThat(List.copyOf(streamed.keySet())).as(json).isEqualTo(List.copyOf(tree.keySet()));
    }
  }
}
