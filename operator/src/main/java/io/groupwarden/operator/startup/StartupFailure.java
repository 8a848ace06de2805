package io.groupwarden.operator.startup;

/**
 * A reason the operator cannot run at all, told in one line that names the cause and the API server
 * it tried. The process ends on it with {@link #EXIT_CODE}; no stack trace is printed, because the
 * line says everything a user can act on.
 */
public final class StartupFailure extends Exception {
  /** The exit status of a fatal start; a bad configuration value exits with 2. */
  public static final int EXIT_CODE = 1;

  public StartupFailure(String line) {
    super(line, null, false, false);
  }
}
