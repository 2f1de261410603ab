package dev.debimage.core.assembly;

import java.time.Instant;
import java.util.List;

/**
 * The merged-{@code /usr} layout of Debian 12 and later and Ubuntu 19.10 and later: {@code /bin},
 * {@code /sbin} and {@code /lib*} are symbolic links into {@code /usr}, so package paths under
 * them are stored below {@code usr/}.
 */
public final class MergedUsr {

  /** Top-level directories that become links into {@code usr/}. */
  public static final List<String> FOLDED_DIRECTORIES =
      List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

  /** Links created even when no package ships anything below them. */
  private static final List<String> ALWAYS_LINKED = List.of("bin", "sbin", "lib");

  private MergedUsr() {}

  /** Returns whether {@code path} is a folded top-level directory itself, such as {@code lib}. */
  public static boolean isFoldedDirectory(String path) {
    return FOLDED_DIRECTORIES.contains(path);
  }

  /** Maps a normalized path below a folded directory into {@code usr/}; returns other paths as they are. */
  public static String fold(String path) {
    String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    return FOLDED_DIRECTORIES.contains(top) ? "usr/" + path : path;
  }

  /**
   * Returns whether a package's symbolic link at a folded directory is the merged-{@code /usr}
   * link itself, as newer base-files packages ship it: {@code bin -> usr/bin}.
   */
  public static boolean isMergedUsrLink(String path, String target) {
    return isFoldedDirectory(path)
        && (target.equals("usr/" + path) || target.equals("/usr/" + path));
  }

  /**
   * Creates the top-level links: {@code bin}, {@code sbin} and {@code lib} always, {@code lib32},
   * {@code lib64} and {@code libx32} only when the tree has that directory below {@code usr/}.
   */
  public static void createTopLevelLinks(FileTree tree, Instant mtime) {
    for (String directory : FOLDED_DIRECTORIES) {
      boolean wanted =
          ALWAYS_LINKED.contains(directory) || tree.get("usr/" + directory).isPresent();
      if (!wanted || tree.get(directory).isPresent()) {
        continue;
      }
      tree.addGeneratedDirectory("usr/" + directory, 0755, 0, 0, mtime);
      tree.addGeneratedSymlink(directory, "usr/" + directory, mtime);
    }
  }
}
