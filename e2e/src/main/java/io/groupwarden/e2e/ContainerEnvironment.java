package io.groupwarden.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment as the kubelet resolves it: the ConfigMaps of its {@code envFrom}, then
 * its variables — values, Secret keys and the pod's name.
 */
final class ContainerEnvironment {
  private ContainerEnvironment() {}

  /** The environment {@code container} gets in pod {@code podName} of {@code namespace}. */
  static Map<String, String> resolve(
      KubernetesClient client, String namespace, Container container, String podName) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        ConfigMap map =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(from.getConfigMapRef().getName())
                .get();
        env.putAll(map.getData());
      }
    }
    for (EnvVar var : container.getEnv()) {
      EnvVarSource source = var.getValueFrom();
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (source != null && source.getSecretKeyRef() != null) {
        env.put(var.getName(), secretValue(client, namespace, source.getSecretKeyRef()));
      } else if (source != null
          && source.getFieldRef() != null
          && "metadata.name".equals(source.getFieldRef().getFieldPath())) {
        env.put(var.getName(), podName);
      }
    }
    return env;
  }

  private static String secretValue(
      KubernetesClient client, String namespace, SecretKeySelector ref) {
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
      return secret.getStringData().get(ref.getKey());
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
  }
}
