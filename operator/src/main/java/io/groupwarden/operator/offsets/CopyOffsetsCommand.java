package io.groupwarden.operator.offsets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar operator.jar copy-offsets --from HOST:PORT --to HOST:PORT --group G ...}: moves
 * consumer groups' committed offsets to another Kafka cluster (see docs/production.md). Prints one
 * report per group; exits 0 when every group was copied, 1 when any was refused, 2 on bad
 * arguments.
 */
public final class CopyOffsetsCommand {
  public static final String NAME = "copy-offsets";

  static final String USAGE =
      """
      usage: java -jar operator.jar copy-offsets --from HOST:PORT --to HOST:PORT --group GROUP...
                                                  [--from-config FILE] [--to-config FILE]
                                                  [--dry-run] [--timeout 30s]
        Copies the committed offsets of each group from one Kafka cluster to another with the
        Admin API. A group with active members on either cluster is refused, as is one whose
        topics are missing on the target or whose offsets point past the target's records.
        --group            a consumer group; repeat it, or separate several with commas
        --from-config      Kafka client properties for --from (security.protocol, ssl.*, sasl.*)
        --to-config        the same for --to
        --dry-run          report what would be copied, write nothing
        --timeout          how long each request may take (default 30s)
      """;

  private CopyOffsetsCommand() {}

  /** Runs the command with the process's standard streams; returns the exit status. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    CopyRequest request;
    try {
      request = parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      err.println("copy-offsets: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (request == null) {
      out.print(USAGE);
      return 0;
    }
    boolean allCopied = true;
    try (OffsetCopier copier = OffsetCopier.connect(request)) {
      for (String group : request.groups()) {
        GroupCopy result = copier.copy(group);
        allCopied &= result.isCopied();
        out.println(result.describe(request.dryRun(), request.from(), request.to()));
      }
    } catch (IOException e) {
      err.println("copy-offsets: cannot read a client properties file: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("copy-offsets: interrupted");
      return 1;
    }
    return allCopied ? 0 : 1;
  }

  /** The request, or null when help was asked for; throws naming the bad argument. */
  static CopyRequest parse(List<String> args) {
    String from = null;
    String to = null;
    List<String> groups = new ArrayList<>();
    Path fromConfig = null;
    Path toConfig = null;
    boolean dryRun = false;
    Duration timeout = Duration.ofSeconds(30);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> {
          return null;
        }
        case "--dry-run" -> dryRun = true;
        case "--from" -> from = value(args, ++i, arg);
        case "--to" -> to = value(args, ++i, arg);
        case "--group" -> {
          for (String group : value(args, ++i, arg).split(",")) {
            if (!group.isBlank()) {
              groups.add(group.strip());
            }
          }
        }
        case "--from-config" -> fromConfig = readable(value(args, ++i, arg), arg);
        case "--to-config" -> toConfig = readable(value(args, ++i, arg), arg);
        case "--timeout" -> {
          String text = value(args, ++i, arg);
          try {
            timeout = OffsetCopier.parseTimeout(text);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "--timeout must be a duration such as 30s, got '" + text + "'");
          }
        }
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    if (from == null || to == null || groups.isEmpty()) {
      throw new IllegalArgumentException("--from, --to and at least one --group are required");
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException("--from and --to are the same cluster (" + from + ")");
    }
    return new CopyRequest(from, to, groups, fromConfig, toConfig, dryRun, timeout);
  }

  private static String value(List<String> args, int index, String flag) {
    if (index >= args.size() || args.get(index).startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.get(index);
  }

  private static Path readable(String file, String flag) {
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(flag + " " + file + " is not a readable file");
    }
    return path;
  }
}
