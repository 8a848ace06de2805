package io.groupwarden.operator.startup;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Checks, before the reconcilers start, everything that would otherwise make them fail over and
 * over without saying why: that there is a Kubernetes configuration at all, that its API server
 * answers, that the CustomResourceDefinitions are installed, and that the operator may list and
 * watch each of its kinds where it is told to watch.
 *
 * <p>Every check uses its own client that does not retry, with short timeouts, so a dead API server
 * ends the start within {@code timeout} rather than after the client's retry back-off.
 */
public final class ApiServerCheck {
  private final Config config;
  private final Duration timeout;

  public ApiServerCheck(Config config, Duration timeout) {
    this.config = config;
    this.timeout = timeout;
  }

  /**
   * Runs every check in order and throws the first failure; {@code kinds} are the custom resource
   * classes and {@code namespaces} the watched namespaces (empty: all).
   */
  public void verify(List<Class<? extends HasMetadata>> kinds, List<String> namespaces)
      throws StartupFailure {
    requireConfiguration();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Config once =
        new ConfigBuilder(config)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(millis)
            .withRequestTimeout(millis)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
      requireReachable(client);
      for (Class<? extends HasMetadata> kind : kinds) {
        requireAccess(client, kind, namespaces);
      }
    }
  }

  /** Where the configuration came from, for the log line at start and for failures. */
  public String source() {
    File file = config.getFile();
    if (file != null) {
      return "kubeconfig " + file;
    }
    if (inCluster()) {
      return "in-cluster service account";
    }
    return "no kubeconfig";
  }

  public String server() {
    return config.getMasterUrl();
  }

  private void requireConfiguration() throws StartupFailure {
    boolean explicitServer =
        System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY) != null
            || System.getenv("KUBERNETES_MASTER") != null;
    if (config.getFile() == null && !inCluster() && !explicitServer) {
      String kubeconfig = System.getenv("KUBECONFIG");
      String looked =
          kubeconfig != null && !kubeconfig.isBlank()
              ? "KUBECONFIG=" + kubeconfig + " does not exist"
              : "no "
                  + new File(System.getProperty("user.home"), ".kube/config")
                  + " and KUBECONFIG is not set";
      throw new StartupFailure(
          "no Kubernetes configuration: "
              + looked
              + ", and this is not a pod with a service account (KUBERNETES_SERVICE_HOST is not set);"
              + " the default server "
              + config.getMasterUrl()
              + " was not tried");
    }
  }

  private static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null;
  }

  private void requireReachable(KubernetesClient client) throws StartupFailure {
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw new StartupFailure(
          "cannot reach the Kubernetes API server " + server() + " (" + source() + "): " + why(e));
    }
  }

  private <T extends HasMetadata> void requireAccess(
      KubernetesClient client, Class<T> kind, List<String> namespaces) throws StartupFailure {
    ResourceDefinitionContext context = ResourceDefinitionContext.fromResourceType(kind);
    requireDefinition(client, context);
    if (namespaces.isEmpty()) {
      requireListAndWatch(client.resources(kind).inAnyNamespace(), context, "all namespaces");
    } else {
      for (String namespace : namespaces) {
        requireListAndWatch(
            client.resources(kind).inNamespace(namespace), context, "namespace " + namespace);
      }
    }
  }

  /**
   * Reads the CRD itself where the operator may (the chart lets it); where it may not, a missing
   * CRD still shows as the 404 of the list that follows.
   */
  private void requireDefinition(KubernetesClient client, ResourceDefinitionContext kind)
      throws StartupFailure {
    String name = kind.getPlural() + "." + kind.getGroup();
    try {
      if (client.apiextensions().v1().customResourceDefinitions().withName(name).get() == null) {
        throw missingDefinition(name);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403 && e.getCode() != 401) {
        throw new StartupFailure(
            "cannot read the CustomResourceDefinition "
                + name
                + " from the Kubernetes API server "
                + server()
                + ": "
                + why(e));
      }
    }
  }

  private StartupFailure missingDefinition(String name) {
    return new StartupFailure(
        "the CustomResourceDefinition "
            + name
            + " is not installed on the Kubernetes API server "
            + server()
            + " (apply crds/ or install the Helm chart)");
  }

  private <T extends HasMetadata> void requireListAndWatch(
      FilterWatchListDeletable<T, ?, Resource<T>> resources,
      ResourceDefinitionContext kind,
      String where)
      throws StartupFailure {
    String name = kind.getPlural() + "." + kind.getGroup();
    try {
      resources.list(new ListOptionsBuilder().withLimit(1L).build());
    } catch (KubernetesClientException e) {
      throw refused(e, "list", name, where);
    }
    try (Watch ignored = resources.watch(new IgnoringWatcher<>())) {
      // the watch was accepted; close it at once
    } catch (KubernetesClientException e) {
      throw refused(e, "watch", name, where);
    }
  }

  private StartupFailure refused(
      KubernetesClientException e, String verb, String name, String where) {
    if (e.getCode() == 404) {
      return missingDefinition(name);
    }
    if (e.getCode() == 403 || e.getCode() == 401) {
      return new StartupFailure(
          "the Kubernetes API server "
              + server()
              + " forbids "
              + verb
              + " on "
              + name
              + " in "
              + where
              + " ("
              + source()
              + "; check the operator's RBAC): "
              + serverMessage(e));
    }
    return new StartupFailure(
        "cannot "
            + verb
            + " "
            + name
            + " in "
            + where
            + " on the Kubernetes API server "
            + server()
            + ": "
            + why(e));
  }

  /**
   * The cause of a failed request in a few words: the first exception in the chain whose kind names
   * a network failure, else the deepest one.
   */
  public static String why(Throwable e) {
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      return "HTTP " + k.getCode() + " " + serverMessage(k);
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String known = networkFailure(t);
      if (known != null) {
        return known + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
      }
      root = t;
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
  }

  private static String networkFailure(Throwable t) {
    if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
      return "its host name does not resolve";
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (t instanceof SocketTimeoutException
        || t instanceof TimeoutException
        || t instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    if (t instanceof SSLException) {
      return "TLS handshake failed";
    }
    return null;
  }

  private static String serverMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
  }

  /** The check only needs the watch to be accepted; what it would deliver does not matter. */
  private static final class IgnoringWatcher<T> implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }
}
