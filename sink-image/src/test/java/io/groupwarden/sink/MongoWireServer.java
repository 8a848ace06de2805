package io.groupwarden.sink;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.groupwarden.testkit.FreePort;
import java.net.InetSocketAddress;
import org.bson.Document;

/**
 * A MongoDB wire server (mongo-java-server, in memory) that can be stopped and started again on the
 * same port with its data, as a real mongod with a disk would be.
 */
public final class MongoWireServer implements AutoCloseable {
  /** The database the tests' workers write to. */
  public static final String DATABASE = "sinktest";

  private final KeptBackend backend = new KeptBackend();
  private final int port;
  private MongoServer server;

  /** The tests' reads: one client, connected when the server starts rather than mid-test. */
  private MongoClient reader;

  /** mongo-java-server empties its backend on shutdown; a real server keeps its data. */
  private static final class KeptBackend extends MemoryBackend {
    @Override
    public void close() {}
  }

  private MongoWireServer(int port) {
    this.port = port;
  }

  public static MongoWireServer start() {
    MongoWireServer mongo = new MongoWireServer(FreePort.pick());
    mongo.restart();
    mongo.reader = mongo.client();
    return mongo;
  }

  public synchronized void restart() {
    if (server == null) {
      server = new MongoServer(backend);
      server.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }

  /** Closes every client connection and stops listening, keeping the data. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      server = null;
    }
  }

  public String uri() {
    return "mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000";
  }

  private MongoClient client() {
    return MongoClients.create(uri());
  }

  /** A collection of {@link #DATABASE}, through a client the server keeps for the test's reads. */
  public MongoCollection<Document> collection(String name) {
    return reader.getDatabase(DATABASE).getCollection(name);
  }

  /** Drops {@link #DATABASE} with every collection in it. */
  public void dropDatabase() {
    reader.getDatabase(DATABASE).drop();
  }

  @Override
  public void close() {
    reader.close();
    stop();
  }
}
