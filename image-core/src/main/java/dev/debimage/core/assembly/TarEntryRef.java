package dev.debimage.core.assembly;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One member of a package's uncompressed data tar, with where its content starts in that file.
 *
 * @param name the member name as the tar stores it, for example {@code ./usr/bin/ls}
 * @param kind the member type
 * @param mode the permission bits, including setuid, setgid and sticky
 * @param uid the numeric owner
 * @param gid the numeric group
 * @param mtime the modification time, whole seconds
 * @param linkName the target of a symbolic link or hard link, empty for other kinds
 * @param dataTar the uncompressed data tar that contains the member
 * @param dataOffset the byte offset of the member's content in {@code dataTar}
 * @param size the content size in bytes; zero for everything but regular files
 */
public record TarEntryRef(
    String name,
    Kind kind,
    int mode,
    long uid,
    long gid,
    Instant mtime,
    String linkName,
    Path dataTar,
    long dataOffset,
    long size) {

  /** Tar member types; the ones a root filesystem layer cannot carry are kept so they can be rejected. */
  public enum Kind {
    DIRECTORY,
    REGULAR,
    SYMLINK,
    HARDLINK,
    CHARACTER_DEVICE,
    BLOCK_DEVICE,
    FIFO,
    OTHER
  }
}
