package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.FileTree;
import java.io.IOException;

/**
 * A tree after the scripts ran. Content that the scripts wrote stays in a file on the build host
 * until {@link #close()}, so close it only after the layer is written.
 */
public final class CustomizedTree implements AutoCloseable {

  private final FileTree tree;
  private final ContentSpill spill;

  CustomizedTree(FileTree tree, ContentSpill spill) {
    this.tree = tree;
    this.spill = spill;
  }

  /** Returns the tree, unchanged when no script ran. */
  public FileTree tree() {
    return tree;
  }

  /** Deletes the content file that the tree's changed files refer to. */
  @Override
  public void close() {
    if (spill == null) {
      return;
    }
    try {
      spill.close();
    } catch (IOException e) {
      throw new ImageBuildException("failed to delete the scripts' content file: " + e, e);
    }
  }
}
