package io.groupwarden.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kubelet would give one pod of a StatefulSet the operator wrote: its container's
 * environment (values, ConfigMap {@code envFrom}, Secret and field references resolved) and its
 * Secret volumes written as files under a local folder. Paths in the environment that point into a
 * mount are rewritten to the local folder, the only change from what a pod sees.
 */
public final class PodRuntime {
  private final KubernetesClient client;
  private final String namespace;
  private final StatefulSet statefulSet;
  private final int ordinal;
  private final Path root;
  private final Map<String, Path> mounts = new LinkedHashMap<>();

  public PodRuntime(
      KubernetesClient client, String namespace, StatefulSet statefulSet, int ordinal, Path root) {
    this.client = client;
    this.namespace = namespace;
    this.statefulSet = statefulSet;
    this.ordinal = ordinal;
    this.root = root;
    for (VolumeMount mount : container().getVolumeMounts()) {
      mounts.put(mount.getMountPath(), root.resolve(mount.getMountPath().substring(1)));
    }
  }

  public Container container() {
    return pod().getContainers().get(0);
  }

  private PodSpec pod() {
    return statefulSet.getSpec().getTemplate().getSpec();
  }

  /** Writes every Secret volume's files anew, as the kubelet does when a Secret changes. */
  public PodRuntime writeSecretVolumes() {
    for (VolumeMount mount : container().getVolumeMounts()) {
      Volume volume =
          pod().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElse(null);
      Path dir = mounts.get(mount.getMountPath());
      try {
        Files.createDirectories(dir);
        if (volume == null || volume.getSecret() == null) {
          continue;
        }
        String secretName = volume.getSecret().getSecretName();
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        if (secret == null) {
          throw new IllegalStateException("Secret " + secretName + " does not exist");
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty()) {
          secret.getData().forEach((key, value) -> files.put(key, key));
        } else {
          for (KeyToPath item : volume.getSecret().getItems()) {
            files.put(item.getKey(), item.getPath());
          }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
          Path target = dir.resolve(file.getValue());
          Path next = dir.resolve("." + file.getValue() + ".next");
          Files.write(next, Base64.getDecoder().decode(secret.getData().get(file.getKey())));
          Files.move(
              next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** The container's environment, with mount paths moved under the local folder. */
  public Map<String, String> environment() {
    Map<String, String> env =
        ContainerEnvironment.resolve(
            client, namespace, container(), statefulSet.getMetadata().getName() + "-" + ordinal);
    env.replaceAll((name, value) -> local(value));
    return env;
  }

  /** A path inside a mount, as it lies on this machine. */
  public String local(String value) {
    // longest mount first, so /etc/a/b wins over /etc/a
    return mounts.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Path> e) -> -e.getKey().length()))
        .filter(e -> value.equals(e.getKey()) || value.contains(e.getKey() + "/"))
        .findFirst()
        .map(e -> value.replace(e.getKey(), e.getValue().toString()))
        .orElse(value);
  }

  public Path root() {
    return root;
  }
}
