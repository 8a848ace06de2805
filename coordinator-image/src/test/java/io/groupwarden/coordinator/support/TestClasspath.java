package io.groupwarden.coordinator.support;

/** The classpath of the test JVM, for child processes that run this module's classes. */
public final class TestClasspath {
  private TestClasspath() {}

  public static String get() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
