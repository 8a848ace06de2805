package io.groupwarden.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Directories that test fixtures create for themselves, outside JUnit's {@code @TempDir} (a broker
 * per class, a browser profile), and remove when they are done with them, so that builds do not
 * fill the machine's temporary directory.
 */
public final class TempDirectories {
  private TempDirectories() {}

  /**
   * A new, empty directory in the system's temporary directory, its name starting {@code prefix}.
   */
  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes {@code dir} and everything below it. Cleaning up never fails a test: what cannot be
   * removed (a file a child process still writes) is left behind.
   */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TempDirectories::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // a file vanished or could not be read while walking; what is left stays
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left behind, as documented
    }
  }
}
