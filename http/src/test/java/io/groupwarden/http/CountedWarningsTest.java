package io.groupwarden.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountedWarningsTest {
  @Test
  void manyEventsBecomeOneLineWithTheirCountsPerReport() {
    List<String> lines = new ArrayList<>();
    CountedWarnings warnings = new CountedWarnings("test HTTP", lines::add);
    for (int i = 0; i < 1000; i++) {
      warnings.count("connections refused");
    }
    warnings.count("requests refused");
    warnings.count("requests refused");

    assertThat(warnings.report("1m"))
        .isEqualTo("test HTTP in the last 1m: 1000 connections refused, 2 requests refused");
    assertThat(lines).hasSize(1);
    assertThat(warnings.report("1m")).as("nothing new, nothing logged").isNull();
    assertThat(lines).hasSize(1);

    warnings.count("requests refused");
    assertThat(warnings.report("1m")).isEqualTo("test HTTP in the last 1m: 1 requests refused");
  }
}
