package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link FileTree} into an empty directory without ever writing outside it: no symbolic
 * link is followed, every parent must be a directory that this writer created, and no device node
 * is made. Records each path's inode and change time so that a later read can tell which paths
 * changed.
 */
final class DirectoryWriter {

  /**
   * A path as written.
   *
   * @param inode the inode number
   * @param changeTime the inode change time ({@code ctime}) after writing
   * @param mode the permission bits on disk
   * @param uid the owner on disk
   * @param gid the group on disk
   */
  record DiskStamp(long inode, FileTime changeTime, int mode, int uid, int gid) {}

  private DirectoryWriter() {}

  /**
   * Writes every entry of {@code tree} below {@code root}, which must exist and be empty, and
   * returns the stamp of each written path. With {@code setOwners}, which needs root, files get
   * the tree's owners. Otherwise the build user owns them.
   */
  static Map<String, DiskStamp> write(FileTree tree, Path root, boolean setOwners) {
    List<FileEntry> directories = new ArrayList<>();
    for (FileEntry entry : tree.entries()) {
      Path target = locate(root, entry.path());
      try {
        switch (entry.type()) {
          case DIRECTORY -> {
            Files.createDirectory(target);
            directories.add(entry);
          }
          case REGULAR -> {
            try (InputStream in = entry.content().open()) {
              Files.copy(in, target);
            }
            finish(target, entry, setOwners);
          }
          case HARDLINK -> {
            Path existing = locate(root, entry.linkTarget());
            if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
              throw new ImageBuildException(
                  "cannot write hard link /" + entry.path() + ": its target /" + entry.linkTarget()
                      + " is not a regular file written before it");
            }
            Files.createLink(target, existing);
          }
          case SYMLINK -> {
            Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
            if (setOwners) {
              setOwner(target, entry);
            }
          }
          default -> throw new IllegalStateException("unknown entry type " + entry.type());
        }
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to write /" + entry.path() + " of the tree to " + root + ": " + e
                + ". Check the free space of that file system", e);
      }
    }
    // Directories get their modes last, so that a read-only directory such as /proc can still
    // receive its entries while the build runs as an ordinary user.
    for (int i = directories.size() - 1; i >= 0; i--) {
      FileEntry entry = directories.get(i);
      try {
        finish(root.resolve(entry.path()), entry, setOwners);
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to set the mode of /" + entry.path() + " in " + root + ": " + e, e);
      }
    }
    Map<String, DiskStamp> stamps = new HashMap<>();
    for (FileEntry entry : tree.entries()) {
      stamps.put(entry.path(), stamp(root.resolve(entry.path())));
    }
    return stamps;
  }

  /**
   * Returns {@code root/path} after checking that the path has no {@code ..} or empty component
   * and that every parent on disk is a directory, not a symbolic link.
   */
  static Path locate(Path root, String path) {
    Path current = root;
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new ImageBuildException("rejected path '" + path + "': it has an empty, . or .. component");
      }
      current = current.resolve(part);
      if (i < parts.length - 1 && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new ImageBuildException(
            "cannot write /" + path + " below " + root + ": its parent " + current
                + " is not a directory (a symbolic link is not followed)");
      }
    }
    return current;
  }

  private static void finish(Path target, FileEntry entry, boolean setOwners) throws IOException {
    if (setOwners) {
      setOwner(target, entry);
    }
    // unix:mode sets the setuid, setgid and sticky bits too, which PosixFilePermission cannot.
    Files.setAttribute(target, "unix:mode", entry.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
    Files.setLastModifiedTime(target, FileTime.from(entry.mtime()));
  }

  private static void setOwner(Path target, FileEntry entry) throws IOException {
    Files.setAttribute(target, "unix:uid", (int) entry.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(target, "unix:gid", (int) entry.gid(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Reads the inode, change time, mode and owner of a path without following a link. */
  static DiskStamp stamp(Path path) {
    try {
      Map<String, Object> attributes =
          Files.readAttributes(path, "unix:ino,ctime,mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
      return new DiskStamp(
          (Long) attributes.get("ino"),
          (FileTime) attributes.get("ctime"),
          (Integer) attributes.get("mode") & 07777,
          (Integer) attributes.get("uid"),
          (Integer) attributes.get("gid"));
    } catch (IOException e) {
      throw new ImageBuildException("failed to read the attributes of " + path + ": " + e, e);
    }
  }
}
