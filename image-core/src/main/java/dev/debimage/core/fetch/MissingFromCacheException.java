package dev.debimage.core.fetch;

import dev.debimage.core.ImageBuildException;
import java.util.List;

/** An offline build needs files that the cache does not hold. */
public final class MissingFromCacheException extends ImageBuildException {

  private static final long serialVersionUID = 1L;
  private final List<String> missing;

  public MissingFromCacheException(List<String> missing) {
    super(
        "offline build, but the cache lacks " + missing.size() + " file(s):\n  "
            + String.join("\n  ", missing)
            + "\nRun the build once online to fill the cache, then build offline again.");
    this.missing = List.copyOf(missing);
  }

  public List<String> missing() {
    return missing;
  }
}
