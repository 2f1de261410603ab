package dev.debimage.core.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A layer of application files, such as the dependencies, resources or classes of a Java project.
 *
 * @param name what the layer contains, recorded in the image history (for example {@code classes})
 * @param entries files to copy, each with its path in the image
 */
public record ApplicationLayer(String name, List<Entry> entries) {

  public ApplicationLayer {
    entries = List.copyOf(entries);
  }

  /**
   * One regular file or directory of an application layer.
   *
   * @param source the file on the build host
   * @param target the absolute path in the image
   */
  public record Entry(Path source, String target) {}
}
