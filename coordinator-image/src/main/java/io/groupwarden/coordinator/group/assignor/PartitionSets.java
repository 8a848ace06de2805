package io.groupwarden.coordinator.group.assignor;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Compact immutable sets of partition numbers for assignors' results: a contiguous range is two
 * ints, anything else a sorted int array. A group of a thousand members over ten thousand
 * partitions then needs a few thousand small objects instead of ten thousand boxed entries.
 */
final class PartitionSets {
  private PartitionSets() {}

  /** The set of the first {@code size} values of {@code sorted} (ascending, distinct). */
  static Set<Integer> of(int[] sorted, int size) {
    if (size == 0) {
      return Set.of();
    }
    if (sorted[size - 1] - sorted[0] + 1 == size) {
      return new Range(sorted[0], sorted[0] + size);
    }
    return new Sorted(Arrays.copyOf(sorted, size));
  }

  /** {@code [from, to)}. */
  static Set<Integer> range(int from, int to) {
    return from >= to ? Set.of() : new Range(from, to);
  }

  /** The contiguous range of a set made here, or null: lets callers skip boxing partitions. */
  static int[] asRange(Set<Integer> set) {
    return set instanceof Range r ? new int[] {r.from, r.to} : null;
  }

  private static final class Range extends AbstractSet<Integer> {
    private final int from;
    private final int to;

    Range(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public int size() {
      return to - from;
    }

    @Override
    public boolean contains(Object o) {
      return o instanceof Integer i && i >= from && i < to;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        private int next = from;

        @Override
        public boolean hasNext() {
          return next < to;
        }

        @Override
        public Integer next() {
          if (next >= to) {
            throw new NoSuchElementException();
          }
          return next++;
        }
      };
    }
  }

  private static final class Sorted extends AbstractSet<Integer> {
    private final int[] values;

    Sorted(int[] values) {
      this.values = values;
    }

    @Override
    public int size() {
      return values.length;
    }

    @Override
    public boolean contains(Object o) {
      return o instanceof Integer i && Arrays.binarySearch(values, i) >= 0;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        private int index;

        @Override
        public boolean hasNext() {
          return index < values.length;
        }

        @Override
        public Integer next() {
          if (index >= values.length) {
            throw new NoSuchElementException();
          }
          return values[index++];
        }
      };
    }
  }
}
