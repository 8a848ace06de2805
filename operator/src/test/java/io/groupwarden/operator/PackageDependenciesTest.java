package io.groupwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which packages may not import which: the reconcilers publish to the insight store and know
 * nothing of HTTP; the HTTP layer reads the store and knows nothing of reconcilers; the shared
 * pieces depend on no resource kind's reconciler.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/io/groupwarden/operator");

  @ParameterizedTest(name = "{0} does not import {1}")
  @CsvSource({
    "policy, io.groupwarden.operator.api",
    "sink, io.groupwarden.operator.api",
    "lagmonitor, io.groupwarden.operator.api",
    "insight, io.groupwarden.operator.api",
    "insight, io.groupwarden.operator.policy.",
    "snapshot, io.groupwarden.operator.api",
    "snapshot, io.groupwarden.operator.policy.",
    "api, io.groupwarden.operator.policy.",
    "api, io.groupwarden.operator.sink.",
    "api, io.groupwarden.operator.lagmonitor.LagMonitorReconciler",
    "common, io.groupwarden.operator.sink",
    "common, io.groupwarden.operator.lagmonitor",
  })
  void aPackageDoesNotImport(String folder, String forbidden) {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(SOURCES.resolve(folder))) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> imports(f, forbidden))
              .map(f -> SOURCES.relativize(f).toString())
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    assertThat(offenders).as(folder + " importing " + forbidden).isEmpty();
  }

  private static boolean imports(Path file, String forbidden) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.anyMatch(l -> l.startsWith("import " + forbidden));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
