package dev.debimage.core.assembly;

import java.time.Instant;
import java.util.Optional;

/**
 * One path of the assembled root filesystem.
 *
 * @param path the normalized path: relative to the root, no leading {@code ./} or {@code /}, no
 *     trailing {@code /}
 * @param type the file type
 * @param mode the permission bits, including setuid, setgid and sticky
 * @param uid the numeric owner
 * @param gid the numeric group
 * @param mtime the modification time, whole seconds
 * @param linkTarget the symbolic link target as the package ships it. For a hard link, the
 *     normalized path of the file it links to. Empty for other types.
 * @param content the bytes of a regular file or hard link, {@code null} for other types
 * @param owner the package that shipped the path, {@code null} for paths the build generated
 */
public record FileEntry(
    String path,
    EntryType type,
    int mode,
    long uid,
    long gid,
    Instant mtime,
    String linkTarget,
    FileContent content,
    String owner) {

  /** Returns the package that shipped the path, empty for generated paths. */
  public Optional<String> ownerPackage() {
    return Optional.ofNullable(owner);
  }

  /** Returns whether this entry is a directory. */
  public boolean isDirectory() {
    return type == EntryType.DIRECTORY;
  }
}
