package io.groupwarden.coordinator.support;

import io.groupwarden.testkit.TestCertificates;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One blocking Kafka protocol connection, plain or TLS, for tests that must send exactly the
 * requests a real client would not (authentication steps one by one, requests after a session
 * ended). Requests and responses are kafka-clients' classes.
 */
public final class RawKafkaConnection implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int correlation;

  private RawKafkaConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawKafkaConnection plain(String host, int port) throws IOException {
    return new RawKafkaConnection(new Socket(host, port));
  }

  /** A TLS connection that trusts {@code ca}. */
  public static RawKafkaConnection tls(String host, int port, TestCertificates ca)
      throws IOException {
    SSLSocket socket = (SSLSocket) ca.trustingContext().getSocketFactory().createSocket(host, port);
    socket.startHandshake();
    return new RawKafkaConnection(socket);
  }

  /**
   * Sends one request and reads its response.
   *
   * @throws IOException also when the broker closed the connection instead of answering
   */
  public AbstractResponse send(AbstractRequest request) throws IOException {
    RequestHeader header =
        new RequestHeader(request.apiKey(), request.version(), "raw-test", ++correlation);
    ByteBuffer bytes = request.serializeWithHeader(header);
    out.write(ByteBuffer.allocate(4).putInt(bytes.remaining()).array());
    out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    out.flush();
    int size = in.readInt(); // EOFException when the broker closed the connection
    byte[] frame = new byte[size];
    in.readFully(frame);
    return AbstractResponse.parseResponse(ByteBuffer.wrap(frame), header);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
