package io.groupwarden.coordinator.support;

import io.groupwarden.testkit.ChildProcesses;
import java.nio.file.Path;
import java.util.List;

/** The classpath of the test JVM, for child processes that run this module's classes. */
public final class TestClasspath {
  private TestClasspath() {}

  public static String get() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /**
   * Starts {@code main} in a child JVM on this classpath with at most {@code maxHeap} of heap (a
   * {@code -Xmx} option), its output going to {@code log}.
   */
  public static Process startMain(Class<?> main, String maxHeap, Path log, String... arguments) {
    return ChildProcesses.start(
        ChildProcesses.javaCommand(
            List.of("-Xmx" + maxHeap), get(), main.getName(), List.of(arguments)),
        log);
  }
}
