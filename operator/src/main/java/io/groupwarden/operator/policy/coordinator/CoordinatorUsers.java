package io.groupwarden.operator.policy.coordinator;

import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SCRAM users a managed coordinator has: the operator's own (its only super user), one per
 * MongoSink and per LagMonitor whose {@code policyRef} names the policy, and those the spec lists.
 */
public final class CoordinatorUsers {
  public static final String OPERATOR = "operator";
  public static final String SPEC = "spec";

  private CoordinatorUsers() {}

  /**
   * The users, in a stable order: operator, spec, sinks, monitors.
   *
   * @param sinks names of the MongoSinks that use the coordinator
   * @param monitors names of the LagMonitors that use it
   */
  public static List<CoordinatorUser> desired(
      ConsumerGroupPolicy policy, Collection<String> sinks, Collection<String> monitors) {
    Map<String, String> usedBy = new LinkedHashMap<>();
    usedBy.put(ManagedCoordinatorNames.OPERATOR_USER, OPERATOR);
    CoordinatorSpec spec = policy.getSpec().kafka().coordinator();
    if (spec.users() != null) {
      spec.users().forEach(u -> usedBy.putIfAbsent(u, SPEC));
    }
    sinks.stream()
        .sorted()
        .forEach(s -> usedBy.putIfAbsent(ManagedCoordinatorNames.sinkUser(s), "MongoSink/" + s));
    monitors.stream()
        .sorted()
        .forEach(
            m -> usedBy.putIfAbsent(ManagedCoordinatorNames.lagMonitorUser(m), "LagMonitor/" + m));
    List<CoordinatorUser> users = new ArrayList<>();
    usedBy.forEach(
        (name, who) ->
            users.add(
                new CoordinatorUser(
                    name, ManagedCoordinatorNames.userSecretName(policy, name), who)));
    return users;
  }
}
