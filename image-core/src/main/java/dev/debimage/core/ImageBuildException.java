package dev.debimage.core;

/**
 * A build failure that a user can act on. The message names the value at fault and the fix.
 */
public class ImageBuildException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ImageBuildException(String message) {
    super(message);
  }

  public ImageBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
