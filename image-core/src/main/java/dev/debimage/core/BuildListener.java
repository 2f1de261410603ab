package dev.debimage.core;

/**
 * Receives progress and events from a build. The Maven plugin maps it to Maven's log.
 */
public interface BuildListener {

  /** A listener that drops every event. */
  BuildListener NONE = new BuildListener() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}

    @Override
    public void debug(String message) {}
  };

  /** Reports what a user needs to trust the result: sources, counts, sizes, digests. */
  void info(String message);

  /** Reports a problem that did not stop the build. */
  void warn(String message);

  /** Reports detail that helps when looking into a problem. */
  void debug(String message);
}
