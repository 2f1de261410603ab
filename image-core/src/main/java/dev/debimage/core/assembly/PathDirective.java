package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.Arrays;

/**
 * A change to the assembled tree that the project requests, as apko's {@code paths} offers them.
 * It is a directory, a file with content, a symbolic link, or new permissions for a path that is
 * already there. Paths are absolute, and IDs and modes are numbers.
 */
public sealed interface PathDirective {

  /** Returns the absolute path the directive changes. */
  String path();

  /** Returns a line that identifies the directive and its values, for the layer cache key. */
  String describe();

  /** A directory with its mode and owner; an existing directory gets them too. */
  record Directory(String path, int mode, long uid, long gid) implements PathDirective {

    public Directory {
      path = checkPath(path);
      checkMode(mode, path);
      UserAccount.checkId(uid, "UID of directory " + path);
      UserAccount.checkId(gid, "GID of directory " + path);
    }

    @Override
    public String describe() {
      return "directory " + path + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid;
    }
  }

  /** A regular file with the given content, replacing whatever is at the path. */
  record File(String path, byte[] content, int mode, long uid, long gid) implements PathDirective {

    public File {
      path = checkPath(path);
      content = content.clone();
      checkMode(mode, path);
      UserAccount.checkId(uid, "UID of file " + path);
      UserAccount.checkId(gid, "GID of file " + path);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }

    @Override
    public String describe() {
      return "file " + path + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid + " "
          + Arrays.hashCode(content) + "/" + content.length;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof File file && file.path.equals(path)
          && Arrays.equals(file.content, content) && file.mode == mode && file.uid == uid
          && file.gid == gid;
    }

    @Override
    public int hashCode() {
      return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /** A symbolic link owned by root, replacing whatever file is at the path. */
  record Symlink(String path, String target) implements PathDirective {

    public Symlink {
      path = checkPath(path);
      if (target == null || target.isEmpty()) {
        throw new ImageBuildException("missing target of symbolic link " + path
            + ": name the path the link points to");
      }
      if (target.contains("\0")) {
        throw new ImageBuildException("invalid target '" + target + "' of symbolic link " + path
            + ": a path cannot contain a NUL character");
      }
    }

    @Override
    public String describe() {
      return "symlink " + path + " -> " + target;
    }
  }

  /**
   * New mode, owner or group for a path that a package or an earlier directive created; a
   * {@code null} value is left as it is. With {@code recursive}, everything below a directory
   * changes too, except the mode of symbolic links.
   */
  record Permissions(String path, Integer mode, Long uid, Long gid, boolean recursive)
      implements PathDirective {

    public Permissions {
      path = checkPath(path);
      if (mode != null) {
        checkMode(mode, path);
      }
      if (uid != null) {
        UserAccount.checkId(uid, "UID for " + path);
      }
      if (gid != null) {
        UserAccount.checkId(gid, "GID for " + path);
      }
      if (mode == null && uid == null && gid == null) {
        throw new ImageBuildException("permissions for " + path
            + " change nothing: set a mode, a uid or a gid");
      }
    }

    @Override
    public String describe() {
      return "permissions " + path + " " + (mode == null ? "-" : Integer.toOctalString(mode))
          + " " + uid + ":" + gid + (recursive ? " recursive" : "");
    }
  }

  /**
   * Parses an octal mode such as {@code 0755} or {@code 4755}; {@code where} names the setting
   * in the error.
   */
  public static int parseMode(String text, String where) {
    if (text == null || !text.strip().matches("0?[0-7]{1,4}")) {
      throw new ImageBuildException("invalid mode '" + text + "' for " + where
          + ": use octal digits such as 0755 or 0644");
    }
    return Integer.parseInt(text.strip(), 8);
  }

  private static String checkPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new ImageBuildException(
          "invalid path '" + path + "': use an absolute path in the image, such as /app/data");
    }
    String normalized;
    try {
      normalized = PathNames.normalize(path.substring(1), "path " + path);
    } catch (ImageBuildException e) {
      throw new ImageBuildException("invalid path '" + path + "': it must not contain '..'", e);
    }
    if (normalized.isEmpty()) {
      throw new ImageBuildException("invalid path '" + path + "': the root cannot be changed");
    }
    return "/" + normalized;
  }

  private static void checkMode(int mode, String path) {
    if (mode < 0 || mode > 07777) {
      throw new ImageBuildException("invalid mode " + Integer.toOctalString(mode) + " for " + path
          + ": use at most four octal digits, such as 0755");
    }
  }
}
