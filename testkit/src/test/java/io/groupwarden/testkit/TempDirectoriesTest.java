package io.groupwarden.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TempDirectoriesTest {

  @Test
  void aDirectoryIsRemovedWithEverythingBelowIt() throws Exception {
    Path dir = TempDirectories.create("temp-directories-test-");
    assertThat(dir.getFileName().toString()).startsWith("temp-directories-test-");
    Files.createDirectories(dir.resolve("topics/orders/0"));
    Files.writeString(dir.resolve("topics/orders/0/00000000000000000000.log"), "records");
    Files.writeString(dir.resolve("broker.log"), "started");

    TempDirectories.delete(dir);

    assertThat(dir).doesNotExist();
  }

  @Test
  void nothingToRemoveIsNotAnError() {
    Path gone = TempDirectories.create("temp-directories-test-");
    TempDirectories.delete(gone);

    TempDirectories.delete(gone);
    TempDirectories.delete(null);

    assertThat(gone).doesNotExist();
  }
}
