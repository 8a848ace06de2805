package io.groupwarden.http;

/** One registered route: a method and path template, who may call it, and what answers. */
record Route(String method, PathTemplate path, Access access, AsyncHandler handler) {}
