package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Applies the project's {@link PathDirective}s to the assembled tree, in order. */
public final class PathDirectives {

  private PathDirectives() {}

  /** Applies each directive; new paths get {@code mtime}. */
  public static void apply(FileTree tree, List<PathDirective> directives, Instant mtime) {
    for (PathDirective directive : directives) {
      String path = directive.path().substring(1);
      if (directive instanceof PathDirective.Directory directory) {
        tree.addGeneratedDirectory(path, directory.mode(), directory.uid(), directory.gid(), mtime);
        String stored = tree.resolve(path).map(FileEntry::path).orElse(path);
        tree.setMetadata(stored, directory.mode(), directory.uid(), directory.gid());
      } else if (directive instanceof PathDirective.File file) {
        tree.addGeneratedFile(path, file.content(), file.mode(), file.uid(), file.gid(), mtime);
      } else if (directive instanceof PathDirective.Symlink symlink) {
        tree.addGeneratedSymlink(path, symlink.target(), mtime);
      } else if (directive instanceof PathDirective.Permissions permissions) {
        changePermissions(tree, permissions);
      }
    }
  }

  private static void changePermissions(FileTree tree, PathDirective.Permissions permissions) {
    FileEntry entry = tree.resolve(permissions.path().substring(1)).orElseThrow(() ->
        new ImageBuildException("cannot change permissions of " + permissions.path()
            + ": the path is not in the image; create it with a directory or file entry first"));
    List<FileEntry> targets = new ArrayList<>();
    targets.add(entry);
    if (permissions.recursive() && entry.isDirectory()) {
      for (String below : tree.pathsUnder(entry.path())) {
        targets.add(tree.get(below).orElseThrow());
      }
    }
    for (FileEntry target : targets) {
      int mode = permissions.mode() == null || target.type() == EntryType.SYMLINK
          ? target.mode() : permissions.mode();
      long uid = permissions.uid() == null ? target.uid() : permissions.uid();
      long gid = permissions.gid() == null ? target.gid() : permissions.gid();
      tree.setMetadata(target.path(), mode, uid, gid);
    }
  }
}
