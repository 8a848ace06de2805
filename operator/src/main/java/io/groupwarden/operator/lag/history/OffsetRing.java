package io.groupwarden.operator.lag.history;

/**
 * One offset series of a partition in a ring whose slots are the group's: stored as {@code int}
 * differences from a {@code long} base while the retained values fit in that range, which they do
 * unless over two billion messages lie between the smallest and largest value retained. An offset
 * outside the range moves the base to the smallest retained value; if the values themselves span
 * more than an {@code int}, the ring widens to {@code long}s for good. Either way no value is lost
 * or rounded.
 */
final class OffsetRing {
  private long base;
  private int[] narrow;
  private long[] wide;

  OffsetRing(int capacity) {
    this.narrow = new int[capacity];
  }

  long get(int slot) {
    return wide != null ? wide[slot] : base + narrow[slot];
  }

  /**
   * Stores the offset of the group's newest sample.
   *
   * @param slot the newest slot
   * @param value the offset
   * @param group the group whose slots the ring shares
   * @param retained how many samples the partition retains, this one included
   */
  void putNewest(int slot, long value, GroupHistory group, int retained) {
    if (wide != null) {
      wide[slot] = value;
      return;
    }
    if (retained == 1) {
      base = value;
    } else if (!fits(value - base)) {
      rebaseOrWiden(value, group, retained);
      if (wide != null) {
        wide[slot] = value;
        return;
      }
    }
    narrow[slot] = (int) (value - base);
  }

  /**
   * A copy of the newest {@code keep} values of this ring, in a ring of another capacity whose
   * slots follow another group's.
   */
  OffsetRing resized(int capacity, GroupHistory from, GroupHistory to, int keep) {
    OffsetRing copy = new OffsetRing(capacity);
    copy.base = base;
    if (wide != null) {
      copy.narrow = null;
      copy.wide = new long[capacity];
    }
    for (int age = 0; age < keep; age++) {
      int slot = to.slot(age);
      long value = get(from.slot(age));
      if (copy.wide != null) {
        copy.wide[slot] = value;
      } else {
        copy.narrow[slot] = (int) (value - base);
      }
    }
    return copy;
  }

  /**
   * A ring of {@code capacity} holding {@code values} (oldest first) in the slots the group gives
   * the newest {@code values.length} ages, narrow when their range fits an {@code int}.
   */
  static OffsetRing filled(int capacity, long[] values, GroupHistory group) {
    OffsetRing ring = new OffsetRing(capacity);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long value : values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    boolean narrow = values.length == 0 || fits(max - min);
    if (!narrow) {
      ring.narrow = null;
      ring.wide = new long[capacity];
    }
    ring.base = values.length == 0 ? 0 : min;
    for (int i = 0; i < values.length; i++) {
      int slot = group.slot(values.length - 1 - i);
      if (narrow) {
        ring.narrow[slot] = (int) (values[i] - ring.base);
      } else {
        ring.wide[slot] = values[i];
      }
    }
    return ring;
  }

  boolean isWide() {
    return wide != null;
  }

  private void rebaseOrWiden(long value, GroupHistory group, int retained) {
    long min = value;
    long max = value;
    for (int age = 1; age < retained; age++) {
      long retainedValue = get(group.slot(age));
      min = Math.min(min, retainedValue);
      max = Math.max(max, retainedValue);
    }
    if (fits(max - min)) {
      for (int age = 1; age < retained; age++) {
        int slot = group.slot(age);
        narrow[slot] = (int) (base + narrow[slot] - min);
      }
      base = min;
    } else {
      long[] widened = new long[narrow.length];
      for (int age = 1; age < retained; age++) {
        int slot = group.slot(age);
        widened[slot] = base + narrow[slot];
      }
      wide = widened;
      narrow = null;
    }
  }

  private static boolean fits(long delta) {
    return delta >= Integer.MIN_VALUE && delta <= Integer.MAX_VALUE;
  }
}
