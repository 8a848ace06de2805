package io.groupwarden.http;

/** Who may call a route. */
public enum Access {
  /** Anyone: health, readiness, metrics, static pages. */
  OPEN,
  /** Only a caller presenting the server's bearer token. */
  TOKEN
}
