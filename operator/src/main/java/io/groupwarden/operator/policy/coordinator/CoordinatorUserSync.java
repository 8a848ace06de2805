package io.groupwarden.operator.policy.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    List<UserScramCredentialAlteration> changes = new ArrayList<>();
    passwords.forEach(
        (user, password) -> {
          String digest = CoordinatorAccess.digest(user + ":" + password);
          if (!known.contains(user) || !digest.equals(done.get(user))) {
            for (ScramMechanism mechanism : MECHANISMS) {
              changes.add(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(mechanism, ITERATIONS), password));
            }
          }
        });
    for (String user : retired) {
      if (known.contains(user) && !passwords.containsKey(user)) {
        for (ScramMechanism mechanism : MECHANISMS) {
          changes.add(new UserScramCredentialDeletion(user, mechanism));
        }
      }
    }
    if (changes.isEmpty()) {
      return 0;
    }
    call(admin.alterUserScramCredentials(changes).all());
    passwords.forEach(
        (user, password) -> done.put(user, CoordinatorAccess.digest(user + ":" + password)));
    retired.forEach(done::remove);
    int count = changes.size() / MECHANISMS.size();
    LOG.info("Set {} SCRAM user(s) on coordinator {}", count, coordinator);
    return count;
  }

  /** Forgets a coordinator whose policy is gone. */
  public void forget(String coordinator) {
    applied.remove(coordinator);
  }

  private <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("no answer within " + timeout.toMillis() + " ms", e);
    }
  }
}
