package io.groupwarden.operator.offsets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code copy-offsets} was asked to do.
 *
 * @param from bootstrap servers of the cluster the groups come from
 * @param to bootstrap servers of the cluster they move to
 * @param groups the consumer groups to copy
 * @param fromConfig a client properties file for {@code from} (TLS, SASL), or null
 * @param toConfig a client properties file for {@code to}, or null
 * @param dryRun report what would be copied without writing
 * @param timeout how long each Admin request may take
 */
public record CopyRequest(
    String from,
    String to,
    List<String> groups,
    Path fromConfig,
    Path toConfig,
    boolean dryRun,
    Duration timeout) {

  public CopyRequest {
    groups = List.copyOf(groups);
  }
}
