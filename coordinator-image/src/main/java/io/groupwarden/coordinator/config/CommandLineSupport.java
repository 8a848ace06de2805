package io.groupwarden.coordinator.config;

import io.groupwarden.common.KubeDuration;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli plumbing every option class shares: environment variables as defaults (through {@link
 * EnvVar}), durations in the project's one grammar, and errors that name the flag and, when the
 * value came from the environment, the variable.
 */
public final class CommandLineSupport {
  private CommandLineSupport() {}

  /** A command line over {@code options} whose defaults come from {@code env}, then from code. */
  public static CommandLine commandLine(Object options, Map<String, String> env) {
    CommandLine line = new CommandLine(options);
    line.setDefaultValueProvider(arg -> envVar(arg) == null ? null : env.get(envVar(arg)));
    line.registerConverter(Duration.class, CommandLineSupport::duration);
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setUsageHelpAutoWidth(false);
    line.setUsageHelpLongOptionsMaxWidth(44);
    line.getHelpSectionMap()
        .put(
            "environment",
            help -> {
              StringBuilder text = new StringBuilder("%nEnvironment variables (a flag wins):%n");
              for (OptionSpec option : help.commandSpec().options()) {
                String name = envVar(option);
                if (name != null) {
                  text.append(String.format("  %-46s %s%n", name, option.longestName()));
                }
              }
              return String.format(text.toString());
            });
    java.util.List<String> keys = new java.util.ArrayList<>(line.getHelpSectionKeys());
    keys.add(
        keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), "environment");
    line.setHelpSectionKeys(keys);
    return line;
  }

  /** Parses {@code args}; a problem becomes a {@link ConfigException} naming the flag. */
  public static void parse(CommandLine line, String[] args, Map<String, String> env) {
    try {
      line.parseArgs(args);
    } catch (ParameterException e) {
      String message = e.getMessage();
      if (e.getArgSpec() != null) {
        message += source(e.getArgSpec(), args, env);
      }
      throw new ConfigException(message);
    }
  }

  /**
   * The failure of a check made after parsing, in the same form as picocli's own: {@code --port:
   * must be a port number (0-65535), not 70000 (from COORDINATOR_PORT)}.
   */
  public static ConfigException invalid(
      CommandLine line, String flag, Object value, String requirement, Map<String, String> env) {
    OptionSpec option = line.getCommandSpec().findOption(flag);
    String[] args = line.getParseResult().originalArgs().toArray(String[]::new);
    return new ConfigException(
        flag + ": " + requirement + ", not " + value + source(option, args, env));
  }

  /** The variable an option reads, or null. */
  public static String envVar(ArgSpec arg) {
    return arg.userObject() instanceof Field field && field.isAnnotationPresent(EnvVar.class)
        ? field.getAnnotation(EnvVar.class).value()
        : null;
  }

  /** Says where a value came from when it was not typed on the command line. */
  private static String source(ArgSpec arg, String[] args, Map<String, String> env) {
    String name = envVar(arg);
    boolean typed =
        java.util.Arrays.stream(args).anyMatch(a -> arg instanceof OptionSpec o && isFlag(a, o));
    return name != null && !typed && env.containsKey(name) ? " (from " + name + ")" : "";
  }

  private static boolean isFlag(String arg, OptionSpec option) {
    for (String name : option.names()) {
      if (arg.equals(name) || arg.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }

  private static Duration duration(String text) {
    try {
      return KubeDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
