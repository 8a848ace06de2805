package io.groupwarden.http;

/** One upgraded WebSocket connection, as a feed sees it. Safe to use from any thread. */
public interface WebSocketSession {
  /**
   * Sends a text message. When the client does not keep up (the connection is not writable), the
   * message is dropped and false returned: a feed never piles up memory for a slow reader.
   */
  boolean send(String text);

  boolean isOpen();

  void close();
}
