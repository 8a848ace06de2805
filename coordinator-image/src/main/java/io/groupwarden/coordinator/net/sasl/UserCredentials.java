package io.groupwarden.coordinator.net.sasl;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL users of the broker, each held as salted SCRAM credentials (salt, stored key, server
 * key, iterations: never a password) per mechanism. The set is kept in {@code users.json} in the
 * data directory, written atomically and readable by the broker's user only, so a change made at
 * run time through AlterUserScramCredentials survives a restart.
 */
public final class UserCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(UserCredentials.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What kafka-configs uses by default: the smallest count SCRAM allows, kept low because PLAIN
   * derives a key per attempt.
   */
  public static final int ITERATIONS = 4096;

  private final Path file;
  private final Map<String, Map<ScramMechanism, ScramCredential>> users = new ConcurrentHashMap<>();

  private UserCredentials(Path file) {
    this.file = file;
  }

  /** A set kept in memory only, for credentials that must not outlive the process. */
  public static UserCredentials inMemory() {
    return new UserCredentials(null);
  }

  /** Opens the credentials kept in {@code file}, an empty set when it does not exist yet. */
  public static UserCredentials open(Path file) throws IOException {
    UserCredentials credentials = new UserCredentials(file);
    if (Files.exists(file)) {
      Map<String, Map<String, String>> stored =
          JSON.readValue(
              file.toFile(), new TypeReference<TreeMap<String, Map<String, String>>>() {});
      stored.forEach(
          (user, byMechanism) -> {
            Map<ScramMechanism, ScramCredential> map = new EnumMap<>(ScramMechanism.class);
            byMechanism.forEach(
                (mechanism, text) ->
                    map.put(
                        ScramMechanism.forMechanismName(mechanism),
                        ScramCredentialUtils.credentialFromString(text)));
            credentials.users.put(user, map);
          });
    }
    return credentials;
  }

  /**
   * Sets the users of a {@code name:password} file (one a line, {@code #} comments), for every
   * SCRAM mechanism. A user whose stored credential already matches the password is left as it is,
   * so a restart does not rewrite the file.
   */
  public void seed(Path usersFile) throws IOException {
    List<String> lines = Files.readAllLines(usersFile, StandardCharsets.UTF_8);
    boolean changed = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || colon == line.length() - 1) {
        // Never echo the line: it holds a password.
        throw new IOException(
            usersFile + " line " + (i + 1) + " is not name:password with both parts non-empty");
      }
      String user = line.substring(0, colon);
      String password = line.substring(colon + 1);
      if (!matches(user, password)) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
          put(user, mechanism, newCredential(mechanism, password), false);
        }
        changed = true;
      }
    }
    if (changed) {
      save();
    }
    LOG.info("{} SASL users ({} from {})", users.size(), lines.size(), usersFile.getFileName());
  }

  /** The credential of a user for a mechanism, or null. */
  public ScramCredential get(String user, ScramMechanism mechanism) {
    Map<ScramMechanism, ScramCredential> map = users.get(user);
    return map == null ? null : map.get(mechanism);
  }

  /** The users and the mechanisms each has a credential for, sorted by name. */
  public Map<String, Map<ScramMechanism, Integer>> describe() {
    Map<String, Map<ScramMechanism, Integer>> result = new TreeMap<>();
    users.forEach(
        (user, map) -> {
          Map<ScramMechanism, Integer> iterations = new EnumMap<>(ScramMechanism.class);
          map.forEach((m, c) -> iterations.put(m, c.iterations()));
          result.put(user, iterations);
        });
    return result;
  }

  public boolean exists(String user) {
    return users.containsKey(user);
  }

  /** Adds or replaces one credential and persists the set before returning. */
  public synchronized void upsert(String user, ScramMechanism mechanism, ScramCredential credential)
      throws IOException {
    put(user, mechanism, credential, true);
  }

  /** Removes one credential; false when the user had none for that mechanism. */
  public synchronized boolean delete(String user, ScramMechanism mechanism) throws IOException {
    Map<ScramMechanism, ScramCredential> map = users.get(user);
    if (map == null || map.remove(mechanism) == null) {
      return false;
    }
    if (map.isEmpty()) {
      users.remove(user);
    }
    save();
    return true;
  }

  /**
   * Checks a clear-text password (SASL PLAIN) against the user's strongest stored credential, in
   * constant time once the key is derived.
   */
  public boolean verify(String user, char[] password) {
    ScramCredential credential = get(user, ScramMechanism.SCRAM_SHA_512);
    ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_512;
    if (credential == null) {
      credential = get(user, ScramMechanism.SCRAM_SHA_256);
      mechanism = ScramMechanism.SCRAM_SHA_256;
    }
    if (credential == null) {
      return false;
    }
    try {
      ScramFormatter formatter = new ScramFormatter(mechanism);
      byte[] salted =
          formatter.saltedPassword(
              new String(password), credential.salt(), credential.iterations());
      byte[] stored = formatter.storedKey(formatter.clientKey(salted));
      return MessageDigest.isEqual(stored, credential.storedKey());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      return false;
    }
  }

  private boolean matches(String user, String password) {
    for (ScramMechanism mechanism : ScramMechanism.values()) {
      ScramCredential credential = get(user, mechanism);
      if (credential == null) {
        return false;
      }
      try {
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted =
            formatter.saltedPassword(password, credential.salt(), credential.iterations());
        if (!MessageDigest.isEqual(
            formatter.storedKey(formatter.clientKey(salted)), credential.storedKey())) {
          return false;
        }
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        return false;
      }
    }
    return true;
  }

  private static ScramCredential newCredential(ScramMechanism mechanism, String password) {
    try {
      return new ScramFormatter(mechanism).generateCredential(password, ITERATIONS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void put(
      String user, ScramMechanism mechanism, ScramCredential credential, boolean persist)
      throws IOException {
    users.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(mechanism, credential);
    if (persist) {
      save();
    }
  }

  private synchronized void save() throws IOException {
    if (file == null) {
      return;
    }
    Map<String, Map<String, String>> stored = new TreeMap<>();
    users.forEach(
        (user, map) -> {
          Map<String, String> byMechanism = new TreeMap<>();
          map.forEach(
              (m, c) ->
                  byMechanism.put(m.mechanismName(), ScramCredentialUtils.credentialToString(c)));
          stored.put(user, byMechanism);
        });
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.write(tmp, JSON.writeValueAsBytes(stored), StandardOpenOption.TRUNCATE_EXISTING);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The user names, for logs and tests. */
  public List<String> names() {
    return new ArrayList<>(new TreeMap<>(users).keySet());
  }
}
