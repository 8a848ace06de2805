package io.groupwarden.operator.policy;

import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;

/** Names of the objects that make up a policy's managed coordinator broker. */
public final class ManagedCoordinatorNames {
  /** The SASL_SSL listener every client uses. */
  public static final int SASL_SSL_PORT = 9093;

  /** The PLAINTEXT listener, open only when the spec asks for it. */
  public static final int PLAINTEXT_PORT = 9092;

  public static final int HTTP_PORT = 8080;

  /** The SCRAM user the operator itself connects as; the broker's only super user. */
  public static final String OPERATOR_USER = "groupwarden-operator";

  private ManagedCoordinatorNames() {}

  /** The StatefulSet, the client Service and the ConfigMap: {@code <policy>-coordinator}. */
  public static String name(ConsumerGroupPolicy policy) {
    return name(policy.getMetadata().getName());
  }

  /** The same from the policy's name. */
  public static String name(String policyName) {
    return policyName + "-coordinator";
  }

  /** The headless Service that gives the pod its stable DNS name. */
  public static String headlessName(ConsumerGroupPolicy policy) {
    return name(policy) + "-headless";
  }

  /** The Secret with the CA certificates clients trust (key {@code ca.crt}), when generated. */
  public static String caSecretName(ConsumerGroupPolicy policy) {
    return name(policy) + "-ca";
  }

  /** The Secret with the generated CA's private key; only the operator reads it. */
  public static String caKeySecretName(ConsumerGroupPolicy policy) {
    return name(policy) + "-ca-key";
  }

  /** The {@code kubernetes.io/tls} Secret of the generated broker certificate. */
  public static String tlsSecretName(ConsumerGroupPolicy policy) {
    return name(policy) + "-tls";
  }

  /** The Secret with the broker's users file, read by the broker at start. */
  public static String usersSecretName(ConsumerGroupPolicy policy) {
    return name(policy) + "-users";
  }

  /** The Secret with the bearer token of the broker's HTTP port. */
  public static String httpTokenSecretName(ConsumerGroupPolicy policy) {
    return name(policy) + "-http-token";
  }

  /** The Secret of one SCRAM user: {@code <policy>-coordinator-user-<user>}. */
  public static String userSecretName(ConsumerGroupPolicy policy, String user) {
    return name(policy) + "-user-" + user;
  }

  /** The SCRAM user of a MongoSink's workers. */
  public static String sinkUser(String sinkName) {
    return "groupwarden-sink-" + sinkName;
  }

  /** The SCRAM user the operator reads a LagMonitor's groups as. */
  public static String lagMonitorUser(String monitorName) {
    return "groupwarden-lagmonitor-" + monitorName;
  }

  /**
   * The address the operator uses to reach the coordinator, from a template with {@code {name}} and
   * {@code {namespace}} (OperatorConfig#coordinatorAddress).
   */
  public static String operatorAddress(ConsumerGroupPolicy policy, String template) {
    return template
        .replace("{name}", policy.getMetadata().getName())
        .replace("{namespace}", policy.getMetadata().getNamespace());
  }

  /** The client Service's DNS name. */
  public static String serviceHost(ConsumerGroupPolicy policy) {
    return name(policy) + "." + policy.getMetadata().getNamespace() + ".svc";
  }

  /** The pod's stable DNS name through the headless Service, which the broker advertises. */
  public static String podHost(ConsumerGroupPolicy policy) {
    return name(policy)
        + "-0."
        + headlessName(policy)
        + "."
        + policy.getMetadata().getNamespace()
        + ".svc";
  }

  /** The SASL_SSL address clients in the cluster use: the client Service and port 9093. */
  public static String bootstrapServers(ConsumerGroupPolicy policy) {
    return serviceHost(policy) + ":" + SASL_SSL_PORT;
  }

  /** The PLAINTEXT address, for a policy that asks for that listener. */
  public static String plaintextBootstrapServers(ConsumerGroupPolicy policy) {
    return serviceHost(policy) + ":" + PLAINTEXT_PORT;
  }
}
