package io.groupwarden.operator.common;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads values out of Secrets in a resource's namespace. */
public record SecretValues(KubernetesClient client) {
  /**
   * Checks that a Secret key exists without reading its value, for Secrets that only the workload
   * reads.
   *
   * @throws SpecProblem SecretNotFound naming the Secret and key when either is missing
   */
  public void requireKey(String namespace, SecretKeyRef ref, String field) {
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    if (secret == null) {
      throw new SpecProblem(
          "SecretNotFound", field + ": Secret " + ref.name() + " not found in " + namespace);
    }
    boolean present =
        (secret.getData() != null && secret.getData().containsKey(ref.key()))
            || (secret.getStringData() != null && secret.getStringData().containsKey(ref.key()));
    if (!present) {
      throw new SpecProblem(
          "SecretNotFound", field + ": Secret " + ref.name() + " has no key " + ref.key());
    }
  }

  /**
   * The decoded value of a Secret key.
   *
   * @param field the spec field that references it, for the error message
   * @throws SpecProblem SecretNotFound naming the Secret and key when either is missing
   */
  public String read(String namespace, SecretKeyRef ref, String field) {
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    if (secret == null) {
      throw new SpecProblem(
          "SecretNotFound", field + ": Secret " + ref.name() + " not found in " + namespace);
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(ref.key());
    if (encoded != null) {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(ref.key());
    if (plain != null) {
      return plain;
    }
    throw new SpecProblem(
        "SecretNotFound", field + ": Secret " + ref.name() + " has no key " + ref.key());
  }
}
