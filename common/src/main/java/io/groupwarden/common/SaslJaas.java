package io.groupwarden.common;

/** The {@code sasl.jaas.config} a Kafka client logs in with. */
public final class SaslJaas {
  private SaslJaas() {}

  /**
   * The login of {@code username} with {@code password} for {@code mechanism} ({@code PLAIN},
   * {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}); quotes and backslashes in the values are
   * escaped, so any password reads back as written.
   */
  public static String config(String mechanism, String username, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module
        + " required username=\""
        + quoted(username)
        + "\" password=\""
        + quoted(password)
        + "\";";
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
