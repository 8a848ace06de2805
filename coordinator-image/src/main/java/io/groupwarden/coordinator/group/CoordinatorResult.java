package io.groupwarden.coordinator.group;

import java.util.List;

/**
 * What a handler decided: records to persist, the response to send once they are durable, and what
 * to do on the shard thread at that moment (such as handing the leader's assignment to the members
 * waiting in SyncGroup).
 */
public record CoordinatorResult<T>(List<GroupRecord> records, T response, Runnable afterPersist) {
  private static final Runnable NOTHING = () -> {};

  public static <T> CoordinatorResult<T> of(T response) {
    return new CoordinatorResult<>(List.of(), response, NOTHING);
  }

  public static <T> CoordinatorResult<T> of(List<GroupRecord> records, T response) {
    return new CoordinatorResult<>(records, response, NOTHING);
  }

  public static CoordinatorResult<Void> none() {
    return new CoordinatorResult<>(List.of(), null, NOTHING);
  }

  public static CoordinatorResult<Void> persist(List<GroupRecord> records, Runnable afterPersist) {
    return new CoordinatorResult<>(records, null, afterPersist);
  }
}
