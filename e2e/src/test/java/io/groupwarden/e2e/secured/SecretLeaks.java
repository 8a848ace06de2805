package io.groupwarden.e2e.secured;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secret values of a namespace (every password, token and private key in its Secrets) looked
 * for in what users and collectors see: logs, resource status, events and metrics.
 */
final class SecretLeaks {
  private SecretLeaks() {}

  /**
   * What must never appear, by where it comes from. A PEM private key is looked for by each of its
   * base64 lines, so that a key printed in part is found too.
   */
  static Map<String, String> secrets(KubernetesClient client, String namespace) {
    Map<String, String> found = new LinkedHashMap<>();
    for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
      if (secret.getData() == null) {
        continue;
      }
      secret
          .getData()
          .forEach(
              (key, encoded) -> {
                String value =
                    new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                String where = secret.getMetadata().getName() + "/" + key;
                switch (key) {
                  case "password", "token" -> found.put(where, value);
                  case "tls.key", "ca.key" -> {
                    int line = 0;
                    for (String part : value.split("\n")) {
                      if (!part.startsWith("-----") && part.length() >= 40) {
                        found.put(where + " line " + (++line), part);
                      }
                    }
                  }
                  default -> {}
                }
              });
    }
    return found;
  }

  /** Status and events of the namespace as YAML, the way kubectl would show them. */
  static String statusAndEvents(
      KubernetesClient client,
      String namespace,
      List<Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> kinds) {
    List<Object> shown = new ArrayList<>();
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind : kinds) {
      shown.addAll(client.resources(kind).inNamespace(namespace).list().getItems());
    }
    shown.addAll(client.v1().events().inNamespace(namespace).list().getItems());
    return Serialization.asYaml(shown);
  }

  /** Fails naming every secret found in {@code text} and where it came from. */
  static void assertNoneIn(String what, String text, Map<String, String> secrets) {
    assertThat(secrets).as("secrets to look for").isNotEmpty();
    List<String> leaked = new ArrayList<>();
    secrets.forEach(
        (where, value) -> {
          if (text.contains(value)) {
            leaked.add(where);
          }
        });
    assertThat(leaked).as("secrets found in " + what).isEmpty();
  }
}
