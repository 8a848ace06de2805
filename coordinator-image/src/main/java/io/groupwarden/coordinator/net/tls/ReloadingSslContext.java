package io.groupwarden.coordinator.net.tls;

import io.groupwarden.common.DaemonThreads;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server TLS context, rebuilt when the PEM files change. Kubernetes updates a mounted Secret by
 * swapping a symbolic link, which file-change notifications miss, so the files' contents are
 * compared on a timer. A new context serves new connections; established ones keep the one they
 * shook hands with, so a rotation drops nothing. A change that cannot be read (a half-written file,
 * a key that does not match) keeps the old context and is retried at the next check.
 */
public final class ReloadingSslContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final TlsSettings settings;
  private final ScheduledExecutorService timer;
  private volatile SslContext current;
  private byte[] digest;
  private volatile long reloads;

  private ReloadingSslContext(TlsSettings settings) {
    this.settings = settings;
    this.timer = DaemonThreads.scheduled("tls-reload");
  }

  /**
   * Reads the files and starts watching them.
   *
   * @throws IOException when the files cannot be read or do not make a TLS context; the message
   *     names the file but never its contents
   */
  public static ReloadingSslContext start(TlsSettings settings) throws IOException {
    ReloadingSslContext context = new ReloadingSslContext(settings);
    context.digest = context.digest();
    context.current = context.build();
    long every = settings.reloadCheck().toMillis();
    context.timer.scheduleWithFixedDelay(
        context::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        "TLS from {} ({}), client certificates {}",
        settings.certificate(),
        context.providerInUse(),
        settings.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
    return context;
  }

  /** OpenSSL (BoringSSL from netty-tcnative) where it loads, the JDK's TLS otherwise. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Which implementation the current context is: OpenSSL (BoringSSL) or the JDK's. */
  public SslProvider providerInUse() {
    return current instanceof ReferenceCountedOpenSslContext
        ? SslProvider.OPENSSL
        : SslProvider.JDK;
  }

  public SslHandler newHandler(ByteBufAllocator allocator) {
    return current.newHandler(allocator);
  }

  /** How many times the files changed and were loaded since the start. */
  public long reloads() {
    return reloads;
  }

  private SslContext build() throws IOException {
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(
                  settings.certificate().toFile(), settings.privateKey().toFile())
              .sslProvider(provider())
              .protocols(PROTOCOLS);
      if (settings.trustedCa() != null) {
        builder.trustManager(settings.trustedCa().toFile());
      }
      builder.clientAuth(
          switch (settings.clientAuth()) {
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
            case REQUESTED -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case REQUIRED -> io.netty.handler.ssl.ClientAuth.REQUIRE;
          });
      return builder.build();
    } catch (IOException | RuntimeException e) {
      // The cause's message can quote the files; it is not passed on.
      throw new IOException(
          "cannot make a TLS context from "
              + settings.certificate()
              + " and "
              + settings.privateKey()
              + (settings.trustedCa() == null ? "" : " and " + settings.trustedCa())
              + ": "
              + e.getClass().getSimpleName());
    }
  }

  private void reloadIfChanged() {
    try {
      byte[] now = digest();
      if (Arrays.equals(now, digest)) {
        return;
      }
      current = build();
      digest = now;
      reloads++;
      LOG.info("TLS certificate reloaded from {}", settings.certificate());
    } catch (IOException e) {
      LOG.warn("{}; keeping the previous certificate", e.getMessage());
    }
  }

  private byte[] digest() throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file :
          new Path[] {settings.certificate(), settings.privateKey(), settings.trustedCa()}) {
        if (file != null) {
          sha.update(Files.readAllBytes(file));
        }
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
