package io.groupwarden.operator.policy.coordinator;

import io.groupwarden.operator.common.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a running coordinator its users through the Kafka Admin API, as {@code kafka-configs
 * --entity-type users} would: users the broker does not know, or whose password the operator has
 * not set since it started, are upserted; users of the operator's that are no longer wanted are
 * deleted. The broker reads its users file only at start; this covers every change after it. What
 * was applied is remembered as a digest per coordinator, never as a password.
 */
public final class CoordinatorUserSync {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorUserSync.class);
  private static final int ITERATIONS = 4096;
  private static final List<ScramMechanism> MECHANISMS =
      List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256);

  private final Duration timeout;
  private final Map<String, Map<String, String>> applied = new ConcurrentHashMap<>();

  public CoordinatorUserSync(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Brings the broker's users in line.
   *
   * @param coordinator a key naming the coordinator (its policy), for what was applied
   * @param passwords the users to have, with their passwords
   * @param retired users the operator created before that are no longer wanted
   * @return how many users were upserted or deleted
   */
  public int apply(
      Admin admin, String coordinator, Map<String, String> passwords, Set<String> retired) {
    Map<String, String> done = applied.computeIfAbsent(coordinator, c -> new ConcurrentHashMap<>());
    Set<String> known = new java.util.HashSet<>(call(admin.describeUserScramCredentials().users()));
    List<String> upserts = new ArrayList<>();
    passwords.forEach(
        (user, password) -> {
          if (!known.contains(user) || !digest(user, password).equals(done.get(user))) {
            upserts.add(user);
          }
        });
    List<String> deletes =
        retired.stream().filter(u -> known.contains(u) && !passwords.containsKey(u)).toList();
    if (upserts.isEmpty() && deletes.isEmpty()) {
      return 0;
    }
    // A user may appear once per request (as in Kafka): one request per mechanism.
    for (ScramMechanism mechanism : MECHANISMS) {
      List<UserScramCredentialAlteration> changes = new ArrayList<>();
      for (String user : upserts) {
        changes.add(
            new UserScramCredentialUpsertion(
                user, new ScramCredentialInfo(mechanism, ITERATIONS), passwords.get(user)));
      }
      for (String user : deletes) {
        changes.add(new UserScramCredentialDeletion(user, mechanism));
      }
      call(admin.alterUserScramCredentials(changes).all());
    }
    upserts.forEach(user -> done.put(user, digest(user, passwords.get(user))));
    deletes.forEach(done::remove);
    LOG.info("Coordinator {}: set SCRAM users {}, removed {}", coordinator, upserts, deletes);
    return upserts.size() + deletes.size();
  }

  private static String digest(String user, String password) {
    return CoordinatorAccess.digest(user + ":" + password);
  }

  /** Forgets a coordinator whose policy is gone. */
  public void forget(String coordinator) {
    applied.remove(coordinator);
  }

  private <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return Futures.get(future, timeout, KafkaException::new);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    }
  }
}
