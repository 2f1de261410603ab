package dev.debimage.core.assembly;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tree to a directory for tools that inspect a real filesystem, keeping types, modes
 * (with setuid, setgid and sticky bits) and, when {@code withOwners}, numeric owners.
 */
final class TreeWriter {

  private TreeWriter() {}

  static void write(FileTree tree, Path root, boolean withOwners) throws IOException {
    List<FileEntry> directories = new ArrayList<>();
    for (FileEntry entry : tree.entries()) {
      Path target = root.resolve(entry.path());
      switch (entry.type()) {
        case DIRECTORY:
          Files.createDirectories(target);
          directories.add(entry);
          break;
        case REGULAR:
          try (InputStream in = entry.content().open()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
          setMetadata(target, entry, withOwners);
          break;
        case SYMLINK:
          Files.createSymbolicLink(target, Path.of(entry.linkTarget()));
          if (withOwners) {
            Files.setAttribute(target, "unix:uid", (int) entry.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", (int) entry.gid(), LinkOption.NOFOLLOW_LINKS);
          }
          break;
        case HARDLINK:
          Files.createLink(target, root.resolve(entry.linkTarget()));
          break;
        default:
          throw new IllegalStateException("unexpected type " + entry.type());
      }
    }
    // Directory modes last and deepest first, so that a read-only directory is filled first.
    for (int i = directories.size() - 1; i >= 0; i--) {
      FileEntry entry = directories.get(i);
      setMetadata(root.resolve(entry.path()), entry, withOwners);
    }
  }

  private static void setMetadata(Path target, FileEntry entry, boolean withOwners)
      throws IOException {
    if (withOwners) {
      Files.setAttribute(target, "unix:uid", (int) entry.uid());
      Files.setAttribute(target, "unix:gid", (int) entry.gid());
    }
    Files.setAttribute(target, "unix:mode", entry.mode());
    Files.setLastModifiedTime(target, FileTime.from(entry.mtime()));
  }
}
