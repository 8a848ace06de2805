package io.groupwarden.operator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kubeconfig files for an operator run as its own process against the mock API server, which does
 * not check the token.
 */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** Writes {@code file}: one context, namespace default, on the API server at {@code server}. */
  public static Path write(Path file, String server) throws IOException {
    return Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: mock, user: {token: not-checked}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: default}}]
        current-context: mock
        """
            .formatted(server));
  }
}
