package io.groupwarden.coordinator.runtime;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Finds the constant of an enum by the id or name Kafka gives it in records and APIs (a state's id
 * in a log record, its name in a ListGroups or ListTransactions filter).
 */
public final class EnumKeys {
  private EnumKeys() {}

  /**
   * The constant whose id is {@code id}.
   *
   * @param what what the id names, for the error ("member state")
   * @throws IllegalArgumentException when no constant has that id (a record this broker cannot
   *     read)
   */
  public static <E extends Enum<E>> E byId(
      Class<E> type, ToIntFunction<E> idOf, int id, String what) {
    for (E constant : type.getEnumConstants()) {
      if (idOf.applyAsInt(constant) == id) {
        return constant;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " " + id);
  }

  /** The constant whose name is {@code name} in any case; null when there is none. */
  public static <E extends Enum<E>> E byNameIgnoringCase(
      Class<E> type, Function<E, String> nameOf, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (nameOf.apply(constant).toLowerCase(Locale.ROOT).equals(wanted)) {
        return constant;
      }
    }
    return null;
  }
}
