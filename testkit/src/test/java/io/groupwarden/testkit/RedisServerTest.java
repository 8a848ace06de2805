package io.groupwarden.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisServerTest {

  @Test
  void answersPingAndRequiresItsPassword() throws Exception {
    try (RedisServer redis = RedisServer.withPassword("s3cret").start()) {
      assertThat(send(redis.port(), "PING")).startsWith("-NOAUTH");
      assertThat(send(redis.port(), "AUTH s3cret", "PING")).isEqualTo("+PONG");

      redis.stop();
      assertThat(FreePort.isListening(redis.port())).isFalse();
      redis.start();
      assertThat(FreePort.isListening(redis.port())).isTrue();
    }
  }

  /** Sends inline commands and returns the reply to the last one. */
  private static String send(int port, String... commands) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String reply = null;
      for (String command : commands) {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        reply = in.readLine();
      }
      return reply;
    }
  }
}
