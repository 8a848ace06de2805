package io.groupwarden.coordinator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What Linux reports of another process: resident memory, threads, open files. */
public final class ProcessStats {
  private ProcessStats() {}

  /** Resident set size in bytes. */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IllegalStateException("no VmRSS for " + pid);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of the process's threads (as the kernel keeps them: at most 15 characters). */
  public static List<String> threadNames(long pid) {
    List<String> names = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          names.add(Files.readString(task.resolve("comm")).strip());
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  public static int threads(long pid) {
    return threadNames(pid).size();
  }

  /**
   * Open files other than the TCP sockets on {@code localPort}: a server's own side of its clients'
   * connections, which a keep-alive client may hold open as long as it likes.
   */
  public static long openFilesExceptConnectionsTo(long pid, int localPort) {
    Set<String> excluded = new HashSet<>();
    for (String table : List.of("/proc/" + pid + "/net/tcp", "/proc/" + pid + "/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length < 10 || !fields[1].contains(":")) {
            continue;
          }
          String local = fields[1];
          int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
          if (port == localPort) {
            excluded.add("socket:[" + fields[9] + "]");
          }
        }
      } catch (IOException | NumberFormatException e) {
        // no such table (no IPv6): nothing to exclude from it
      }
    }
    long count = 0;
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          if (!excluded.contains(Files.readSymbolicLink(fd).toString())) {
            count++;
          }
        } catch (IOException e) {
          // closed while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return count;
  }

  public static long openFiles(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
