package io.groupwarden.operator.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitives of the snapshot format: unsigned and zig-zag varints (as Kafka's and protobuf's
 * record formats use them), IEEE floats and doubles by their bits, and length-prefixed UTF-8
 * strings with a mark for null. Offsets and times are written as differences from their
 * predecessor, which the varints make one or two bytes each for a history that moves steadily.
 */
final class Bytes {
  private Bytes() {}

  /** A growable output buffer. */
  static final class Writer {
    private byte[] buffer;
    private int size;

    Writer(int initial) {
      buffer = new byte[Math.max(16, initial)];
    }

    void varlong(long value) {
      ensure(10);
      while ((value & ~0x7FL) != 0) {
        buffer[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      buffer[size++] = (byte) value;
    }

    void zigzag(long value) {
      varlong((value << 1) ^ (value >> 63));
    }

    void varint(int value) {
      varlong(value & 0xFFFFFFFFL);
    }

    void floatBits(float value) {
      // 0 and small integers stay short; NaN (unknown) is five bytes
      varint(Float.floatToIntBits(value));
    }

    void doubleBits(double value) {
      // the bits reversed, so that 0 and round numbers (whose low mantissa bits are 0) stay short
      varlong(Long.reverse(Double.doubleToLongBits(value)));
    }

    void bool(boolean value) {
      ensure(1);
      buffer[size++] = (byte) (value ? 1 : 0);
    }

    void string(String value) {
      if (value == null) {
        varint(0);
        return;
      }
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length + 1);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, buffer, size, utf8.length);
      size += utf8.length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buffer, size);
    }

    int size() {
      return size;
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }
  }

  /** Reads what a {@link Writer} wrote; malformed input throws {@link MalformedSnapshot}. */
  static final class Reader {
    private final byte[] buffer;
    private int position;

    Reader(byte[] buffer) {
      this.buffer = buffer;
    }

    long varlong() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = next();
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new MalformedSnapshot("a varint runs past 64 bits");
    }

    long zigzag() {
      long raw = varlong();
      return (raw >>> 1) ^ -(raw & 1);
    }

    int varint() {
      long value = varlong();
      if (value > 0xFFFFFFFFL) {
        throw new MalformedSnapshot("a varint runs past 32 bits");
      }
      return (int) value;
    }

    /** A count of items to follow, bounded by what the input could hold. */
    int count() {
      int count = varint();
      if (count < 0 || count > buffer.length - position) {
        throw new MalformedSnapshot("a count of " + count + " exceeds the input");
      }
      return count;
    }

    float floatBits() {
      return Float.intBitsToFloat(varint());
    }

    double doubleBits() {
      return Double.longBitsToDouble(Long.reverse(varlong()));
    }

    boolean bool() {
      return next() != 0;
    }

    String string() {
      int length = varint();
      if (length == 0) {
        return null;
      }
      length--;
      if (length > buffer.length - position) {
        throw new MalformedSnapshot("a string runs past the input");
      }
      String value = new String(buffer, position, length, StandardCharsets.UTF_8);
      position += length;
      return value;
    }

    boolean atEnd() {
      return position == buffer.length;
    }

    private byte next() {
      if (position >= buffer.length) {
        throw new MalformedSnapshot("the input ends early");
      }
      return buffer[position++];
    }
  }

  /** Input that is not a snapshot this version can read. */
  static final class MalformedSnapshot extends RuntimeException {
    MalformedSnapshot(String message) {
      super(message);
    }
  }
}
