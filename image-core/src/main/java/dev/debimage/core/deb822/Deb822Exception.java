package dev.debimage.core.deb822;

import dev.debimage.core.ImageBuildException;

/** Malformed deb822 text: the message names the file and line. */
public class Deb822Exception extends ImageBuildException {

  private static final long serialVersionUID = 1L;

  public Deb822Exception(String message) {
    super(message);
  }
}
