package io.groupwarden.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server process on loopback, without persistence. It can be stopped and started again
 * on the same port to play an outage.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final String password;
  private final Path certificate;
  private final Path key;
  private final Path workDir;
  private Process process;

  private RedisServer(int port, String password, Path certificate, Path key) {
    this.port = port;
    this.password = password;
    this.certificate = certificate;
    this.key = key;
    try {
      this.workDir = Files.createTempDirectory("redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on a free port without a password. */
  public static RedisServer create() {
    return new RedisServer(FreePort.pick(), null, null, null);
  }

  /**
   * A server that speaks only TLS on a free port, with the given PEM certificate and key (clients
   * are not asked for certificates).
   */
  public static RedisServer withTls(Path certificate, Path key) {
    return new RedisServer(FreePort.pick(), null, certificate, key);
  }

  /** A server on a free port that requires {@code password} (AUTH). */
  public static RedisServer withPassword(String password) {
    return new RedisServer(FreePort.pick(), password, null, null);
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:port}, or {@code rediss://} for a TLS server (without password). */
  public String uri() {
    return (certificate == null ? "redis://" : "rediss://") + "127.0.0.1:" + port;
  }

  public synchronized RedisServer start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                executable(),
                "--port",
                String.valueOf(certificate == null ? port : 0),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workDir.toString()));
    if (certificate != null) {
      command.addAll(
          List.of(
              "--tls-port", String.valueOf(port),
              "--tls-cert-file", certificate.toString(),
              "--tls-key-file", key.toString(),
              "--tls-ca-cert-file", certificate.toString(),
              "--tls-auth-clients", "no"));
    }
    if (password != null) {
      command.add("--requirepass");
      command.add(password);
    }
    process = ChildProcesses.start(command, workDir.resolve("redis.log"));
    FreePort.awaitListening(port, Duration.ofSeconds(20), process);
    return this;
  }

  public synchronized void stop() {
    if (process == null) {
      return;
    }
    ChildProcesses.stop(process, Duration.ofSeconds(10));
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  /** redis-server from PATH or the Debian location. */
  static String executable() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "redis-server";
  }
}
