package dev.debimage.core.hooks;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileContent;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.hooks.DirectoryWriter.DiskStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a directory that {@link DirectoryWriter} wrote, after scripts ran on it, back into a
 * {@link FileTree}. A path whose inode and change time are as written keeps its entry. Any other
 * path gets the build timestamp and the owner that {@link IdMapping} gives it: root, unless the
 * scripts ran as root or in a user namespace and set another owner.
 */
final class DirectoryReader {

  /**
   * The tree read back and the paths that changed.
   *
   * @param tree the tree read back
   * @param changed paths that the scripts added or rewrote
   * @param removed paths of the original tree that are gone
   */
  record Result(FileTree tree, int changed, int removed) {}

  private DirectoryReader() {}

  /**
   * Reads {@code root} back. Content of changed regular files is appended to {@code spill}.
   * Sockets, FIFOs and device nodes are left out with a warning, since a layer carries none.
   */
  static Result read(
      Path root, FileTree original, Map<String, DiskStamp> written, IdMapping owners, Instant timestamp,
      ContentSpill spill, BuildListener listener) {
    TreeMap<String, Path> paths = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(path -> !path.equals(root))
          .forEach(path -> paths.put(root.relativize(path).toString(), path));
    } catch (IOException | RuntimeException e) {
      throw new ImageBuildException("failed to list the tree in " + root + ": " + e, e);
    }

    FileTree tree = new FileTree(timestamp);
    Map<Long, String> firstPathOfInode = new HashMap<>();
    int changed = 0;
    for (Map.Entry<String, Path> item : paths.entrySet()) {
      String name = item.getKey();
      Path path = item.getValue();
      try {
        BasicFileAttributes basic =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!basic.isDirectory() && !basic.isRegularFile() && !basic.isSymbolicLink()) {
          listener.warn("left out /" + name + ": the scripts made a socket, FIFO or device node,"
              + " which an image layer does not carry");
          continue;
        }
        DiskStamp now = DirectoryWriter.stamp(path);
        FileEntry before = original.get(name).orElse(null);
        DiskStamp then = written.get(name);
        FileEntry entry;
        if (basic.isRegularFile()) {
          String first = firstPathOfInode.putIfAbsent(now.inode(), name);
          entry = regular(name, path, first, now, before, then, tree, owners, timestamp, spill);
        } else if (basic.isDirectory()) {
          boolean same = before != null && before.isDirectory() && then != null
              && then.inode() == now.inode() && then.mode() == now.mode()
              && then.uid() == now.uid() && then.gid() == now.gid();
          entry = same ? before : new FileEntry(name, EntryType.DIRECTORY, now.mode(),
              uid(now, owners), gid(now, owners), timestamp, "", null, null);
        } else {
          String target = Files.readSymbolicLink(path).toString();
          boolean same = before != null && before.type() == EntryType.SYMLINK && unchanged(then, now)
              && before.linkTarget().equals(target);
          entry = same ? before : new FileEntry(name, EntryType.SYMLINK, 0777, uid(now, owners),
              gid(now, owners), timestamp, target, null, null);
        }
        if (entry != before) {
          changed++;
        }
        tree.putEntry(entry);
      } catch (IOException e) {
        throw new ImageBuildException("failed to read /" + name + " back from " + root + ": " + e, e);
      }
    }
    int removed = 0;
    for (FileEntry entry : original.entries()) {
      if (!paths.containsKey(entry.path())) {
        removed++;
      }
    }
    try {
      spill.finishWriting();
    } catch (IOException e) {
      throw new ImageBuildException("failed to write the changed files' content: " + e, e);
    }
    return new Result(tree, changed, removed);
  }

  private static FileEntry regular(
      String name, Path path, String firstPath, DiskStamp now, FileEntry before, DiskStamp then,
      FileTree tree, IdMapping owners, Instant timestamp, ContentSpill spill) throws IOException {
    boolean same = before != null && unchanged(then, now);
    if (firstPath != null) {
      // A second path of one inode is a hard link to the first path in sorted order.
      if (same && before.type() == EntryType.HARDLINK && before.linkTarget().equals(firstPath)) {
        return before;
      }
      FileEntry first = tree.get(firstPath).orElseThrow();
      return new FileEntry(name, EntryType.HARDLINK, first.mode(), first.uid(), first.gid(),
          same ? before.mtime() : timestamp, firstPath, first.content(), same ? before.owner() : null);
    }
    if (same && before.type() == EntryType.REGULAR) {
      return before;
    }
    if (same && before.type() == EntryType.HARDLINK) {
      // The file this path was linked to is gone or changed, so the path now carries the content.
      return new FileEntry(name, EntryType.REGULAR, before.mode(), before.uid(), before.gid(),
          before.mtime(), "", before.content(), before.owner());
    }
    FileContent content = spill.append(path);
    return new FileEntry(name, EntryType.REGULAR, now.mode(), uid(now, owners), gid(now, owners),
        timestamp, "", content, null);
  }

  /**
   * Returns whether a path kept its inode and change time. Any write, chmod, chown, rename or new
   * hard link after the fence sets a later change time (see {@link ChangeFence}).
   */
  private static boolean unchanged(DiskStamp then, DiskStamp now) {
    return then != null && then.inode() == now.inode() && then.changeTime().equals(now.changeTime());
  }

  private static long uid(DiskStamp stamp, IdMapping owners) {
    return owners.uid(Integer.toUnsignedLong(stamp.uid()));
  }

  private static long gid(DiskStamp stamp, IdMapping owners) {
    return owners.gid(Integer.toUnsignedLong(stamp.gid()));
  }
}
