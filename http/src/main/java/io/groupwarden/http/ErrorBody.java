package io.groupwarden.http;

/** The body of every error answer: {@code {"error": "..."}}. */
public record ErrorBody(String error) {}
