package io.groupwarden.sink.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bson.BsonBinaryWriter;
import org.bson.BsonSerializationException;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.api.Test;

class AsciiFastOutputBufferTest {

  private static byte[] document(BasicOutputBuffer buffer, String name, String value) {
    BsonBinaryWriter writer = new BsonBinaryWriter(buffer);
    writer.writeStartDocument();
    writer.writeString(name, value);
    writer.writeEndDocument();
    return buffer.toByteArray();
  }

  @Test
  void writesTheSameBytesAsTheLibraryForEveryKindOfText() {
    for (String text :
        List.of(
            "",
            "plain ascii",
            "x".repeat(5000),
            "caf\u00e9",
            "\u4e16\u754c",
            "\ud83d\ude00",
            "lone \ud800 surrogate",
            "nul \0 in a value")) {
      assertThat(document(new AsciiFastOutputBuffer(16), "name", text))
          .as(text)
          .isEqualTo(document(new BasicOutputBuffer(16), "name", text));
    }
  }

  @Test
  void aNameWithNulIsRefusedAsTheLibraryRefusesIt() {
    assertThatThrownBy(() -> document(new AsciiFastOutputBuffer(16), "a\0b", "v"))
        .isInstanceOf(BsonSerializationException.class);
  }
}
