package io.groupwarden.operator.policy.coordinator;

import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the operator made for a managed coordinator's security this cycle: the Secrets to name in
 * the status and the passwords to register on the broker (kept in memory only).
 *
 * <p>{@link #toString()} names Secrets only.
 *
 * @param caSecret the Secret key holding the CA certificates clients trust
 * @param tlsSecretName the {@code kubernetes.io/tls} Secret the broker mounts
 * @param httpTokenSecret the Secret holding the HTTP port's bearer token
 * @param users the users and their Secrets
 * @param passwords each user's password, by name
 */
public record CoordinatorAccess(
    SecretKeyRef caSecret,
    String tlsSecretName,
    String httpTokenSecret,
    List<CoordinatorUser> users,
    Map<String, String> passwords) {

  public CoordinatorAccess {
    users = List.copyOf(users);
    passwords = Map.copyOf(passwords);
  }

  /**
   * A digest of the operator's own password. The broker learns users added later at run time, but
   * it can only be told them by the operator: when the operator's password is new (its Secret was
   * deleted), the pod template changes with this and the broker restarts with the new users file.
   */
  public String operatorCredentialDigest(String operatorUser) {
    String password = passwords.get(operatorUser);
    if (password == null) {
      return "";
    }
    return digest(operatorUser + ":" + password).substring(0, 16);
  }

  static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "CoordinatorAccess[ca=" + caSecret + ", tls=" + tlsSecretName + ", users=" + users + "]";
  }
}
