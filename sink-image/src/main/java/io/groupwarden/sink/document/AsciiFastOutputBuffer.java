package io.groupwarden.sink.document;

import java.nio.charset.StandardCharsets;
import org.bson.io.BasicOutputBuffer;

/**
 * The bson library's buffer, with ASCII text copied in bulk: the library encodes a string one code
 * point and one byte at a time, which was the largest single cost of writing a document. Text with
 * any other character, and a name holding a NUL (which the library refuses), take the library's own
 * path, so the bytes are the same either way.
 */
final class AsciiFastOutputBuffer extends BasicOutputBuffer {
  AsciiFastOutputBuffer(int initialSize) {
    super(initialSize);
  }

  @Override
  protected int writeCharacters(String text, boolean checkForNullCharacters) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != text.length()) {
      return super.writeCharacters(text, checkForNullCharacters); // not all ASCII
    }
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      // a '?' may stand for a lone surrogate the JDK could not encode
      if ((b == 0 && checkForNullCharacters) || (b == '?' && text.charAt(i) != '?')) {
        return super.writeCharacters(text, checkForNullCharacters);
      }
    }
    writeBytes(bytes, 0, bytes.length);
    writeByte(0);
    return bytes.length + 1;
  }
}
