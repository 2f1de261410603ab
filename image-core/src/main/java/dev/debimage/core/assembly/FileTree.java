package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The root filesystem being assembled: every path with its type, owner, mode, time and a
 * reference to its content, kept sorted by path. File content stays in the data tars of the
 * extraction cache, so memory grows with the number of paths, not with file sizes.
 */
public final class FileTree {

  /** Symbolic links followed while resolving one path before it counts as a loop (Linux's limit). */
  private static final int MAX_LINK_HOPS = 40;

  private final TreeMap<String, FileEntry> entries = new TreeMap<>();
  /** The member name (before folding into usr/) under which a package shipped each stored path. */
  private final Map<String, String> shippedNames = new HashMap<>();
  private final List<String> aliasedPaths = new ArrayList<>();
  private final Instant implicitDirectoryMtime;

  /**
   * Creates an empty tree; parent directories that no package ships are created with mode 0755,
   * owner root and {@code implicitDirectoryMtime}.
   */
  public FileTree(Instant implicitDirectoryMtime) {
    this.implicitDirectoryMtime = implicitDirectoryMtime;
  }

  /**
   * Adds one member of a package's data tar and returns the path it was stored at, or an empty
   * result for the root directory entry. The name is normalized and folded into {@code usr/};
   * the mtime is clamped to {@code maxMtime}. {@code mayReplace} reports whether this package
   * declares {@code Replaces} on another package, which lets it overwrite that package's files.
   */
  public Optional<String> addPackageEntry(
      String packageName, TarEntryRef ref, Instant maxMtime, Predicate<String> mayReplace) {
    return addPackageEntry(packageName, ref, maxMtime, mayReplace, owner -> false);
  }

  /**
   * Adds one member as {@link #addPackageEntry(String, TarEntryRef, Instant, Predicate)} does.
   * {@code replacedBy} reports whether another package declares {@code Replaces} on this one:
   * then that package keeps its file and the member is skipped with an empty result, as dpkg
   * skips it ("Replaced by files in installed package").
   */
  public Optional<String> addPackageEntry(String packageName, TarEntryRef ref, Instant maxMtime,
      Predicate<String> mayReplace, Predicate<String> replacedBy) {
    String where = "package " + packageName;
    String shipped = PathNames.normalize(ref.name(), where);
    if (shipped.isEmpty()) {
      return Optional.empty();
    }
    Instant mtime = ref.mtime().isAfter(maxMtime) ? maxMtime : ref.mtime();
    FileEntry entry;
    switch (ref.kind()) {
      case DIRECTORY:
        entry = newEntry(shipped, EntryType.DIRECTORY, ref, mtime, "", null, packageName);
        break;
      case REGULAR:
        FileContent content = new FileContent.TarSlice(ref.dataTar(), ref.dataOffset(), ref.size());
        entry = newEntry(shipped, EntryType.REGULAR, ref, mtime, "", content, packageName);
        break;
      case SYMLINK:
        if (ref.linkName().isEmpty()) {
          throw new ImageBuildException(
              "rejected symbolic link '" + ref.name() + "' in " + where + ": its target is empty");
        }
        if (MergedUsr.isMergedUsrLink(shipped, ref.linkName())) {
          return Optional.ofNullable(put(new FileEntry(shipped, EntryType.SYMLINK, 0777, ref.uid(),
              ref.gid(), mtime, ref.linkName(), null, packageName), shipped, mayReplace,
              replacedBy));
        }
        if (MergedUsr.isFoldedDirectory(shipped)) {
          throw new ImageBuildException(
              "rejected symbolic link /" + shipped + " -> " + ref.linkName() + " in " + where
                  + ": with merged /usr, /" + shipped + " must link to usr/" + shipped);
        }
        entry = newEntry(shipped, EntryType.SYMLINK, ref, mtime, ref.linkName(), null, packageName);
        break;
      case HARDLINK:
        entry = hardLink(packageName, ref, shipped, mtime);
        break;
      case CHARACTER_DEVICE:
      case BLOCK_DEVICE:
      case FIFO:
        throw new ImageBuildException(
            "rejected " + ref.kind().name().toLowerCase().replace('_', ' ') + " '" + ref.name()
                + "' in " + where + ": Debian packages do not ship device nodes or FIFOs; remove"
                + " the package from the package list");
      default:
        throw new ImageBuildException(
            "rejected member '" + ref.name() + "' in " + where
                + ": unsupported tar member type (sparse or vendor-specific); remove the package"
                + " from the package list");
    }
    return Optional.ofNullable(put(entry, shipped, mayReplace, replacedBy));
  }

  private FileEntry newEntry(String shipped, EntryType type, TarEntryRef ref, Instant mtime,
      String linkTarget, FileContent content, String packageName) {
    int mode = type == EntryType.SYMLINK ? 0777 : ref.mode();
    return new FileEntry(MergedUsr.fold(shipped), type, mode, ref.uid(), ref.gid(), mtime,
        linkTarget, content, packageName);
  }

  /**
   * Hard links share the target's content and metadata. The target must be a regular file that
   * the same package shipped earlier in its data tar, as in any tar archive.
   */
  private FileEntry hardLink(String packageName, TarEntryRef ref, String shipped, Instant mtime) {
    String where = "package " + packageName;
    String target = MergedUsr.fold(PathNames.normalize(ref.linkName(), where));
    String resolved = target.isEmpty() ? "" : resolveParents(target, false);
    FileEntry existing = resolved.isEmpty() ? null : entries.get(resolved);
    while (existing != null && existing.type() == EntryType.HARDLINK) {
      existing = entries.get(existing.linkTarget());
    }
    if (existing == null || existing.type() != EntryType.REGULAR
        || !packageName.equals(existing.owner())) {
      throw new ImageBuildException(
          "rejected hard link '" + ref.name() + "' in " + where + ": its target '"
              + ref.linkName() + "' is not a regular file that the package shipped before it");
    }
    return new FileEntry(MergedUsr.fold(shipped), EntryType.HARDLINK, existing.mode(),
        existing.uid(), existing.gid(), mtime, existing.path(), existing.content(), packageName);
  }

  /**
   * Stores a package's entry under the rules dpkg applies when two packages ship one path.
   * {@code shipped} is the member name before folding into {@code usr/}. Returns the stored
   * path, or {@code null} when the existing file's package replaces this one.
   */
  private String put(FileEntry entry, String shipped, Predicate<String> mayReplace,
      Predicate<String> replacedBy) {
    String path = resolveParents(entry.path(), true);
    FileEntry placed = withPath(entry, path);
    FileEntry existing = entries.get(path);
    String previousName = shippedNames.get(path);
    if (existing == null || !placed.isDirectory() || existing.owner() == null) {
      shippedNames.put(path, shipped);
    }
    if (existing == null) {
      entries.put(path, placed);
      return path;
    }
    if (previousName != null && !previousName.equals(shipped) && !placed.isDirectory()
        && !existing.isDirectory() && existing.owner() != null) {
      // dpkg compares the two paths as text, finds them different, and overwrites the file
      // without a conflict check, so the package unpacked last wins. Unpacking goes in package
      // name order, so the result is deterministic.
      aliasedPaths.add("/" + path + ": package " + placed.owner() + " ships /" + shipped
          + " and package " + existing.owner() + " ships /" + previousName
          + "; with merged /usr both are /" + path + ", and the file of " + placed.owner()
          + " is kept");
      entries.put(path, placed);
      return path;
    }
    if (placed.isDirectory()) {
      // A parent directory that no package shipped yet takes the metadata of the first package
      // that ships it, so that for example tmp keeps its sticky bit.
      if (existing.isDirectory() && existing.owner() == null) {
        entries.put(path, placed);
        return path;
      }
      if (existing.isDirectory()) {
        return path;
      }
      // dpkg keeps a symbolic link where a package ships a directory if the link leads to one.
      if (existing.type() == EntryType.SYMLINK && resolvesToDirectory(path)) {
        return path;
      }
    }
    if (existing.owner() == null || existing.owner().equals(placed.owner())) {
      if (existing.isDirectory() && !placed.isDirectory()) {
        throw conflict(path, existing, placed, "a directory cannot become a file");
      }
      entries.put(path, placed);
      return path;
    }
    if (existing.isDirectory() || placed.isDirectory()) {
      throw conflict(path, existing, placed, "one ships a directory and the other a file");
    }
    if (mayReplace.test(existing.owner())) {
      entries.put(path, placed);
      return path;
    }
    if (replacedBy.test(existing.owner())) {
      shippedNames.put(path, previousName);
      return null;
    }
    throw conflict(path, existing, placed, "package " + placed.owner()
        + " does not declare Replaces: " + existing.owner()
        + "; remove one of the two packages from the package list");
  }

  private static ImageBuildException conflict(
      String path, FileEntry existing, FileEntry placed, String reason) {
    return new ImageBuildException(
        "file conflict at /" + path + " between packages " + describeOwner(existing) + " and "
            + describeOwner(placed) + ": " + reason);
  }

  private static String describeOwner(FileEntry entry) {
    return entry.owner() == null ? "(generated)" : entry.owner();
  }

  private static FileEntry withPath(FileEntry entry, String path) {
    if (entry.path().equals(path)) {
      return entry;
    }
    return new FileEntry(path, entry.type(), entry.mode(), entry.uid(), entry.gid(),
        entry.mtime(), entry.linkTarget(), entry.content(), entry.owner());
  }

  /**
   * Returns the path at which {@code path} lives once the symbolic links among its parent
   * directories are followed. With {@code createMissing}, missing parents become directories;
   * otherwise a missing parent leaves the path as it is. A parent that is a file is an error.
   */
  private String resolveParents(String path, boolean createMissing) {
    String resolved = "";
    String rest = path;
    int hops = 0;
    while (rest.contains("/")) {
      int slash = rest.indexOf('/');
      String component = rest.substring(0, slash);
      rest = rest.substring(slash + 1);
      String candidate = resolved.isEmpty() ? component : resolved + "/" + component;
      FileEntry parent = entries.get(candidate);
      if (parent == null) {
        if (!createMissing) {
          return candidate + "/" + rest;
        }
        entries.put(candidate, new FileEntry(candidate, EntryType.DIRECTORY, 0755, 0, 0,
            implicitDirectoryMtime, "", null, null));
        resolved = candidate;
      } else if (parent.isDirectory()) {
        resolved = candidate;
      } else if (parent.type() == EntryType.SYMLINK) {
        if (++hops > MAX_LINK_HOPS) {
          throw new ImageBuildException(
              "too many levels of symbolic links while resolving /" + path
                  + "; check the links among its parent directories");
        }
        // Restart from the link's target, so links within the target are followed too.
        String target = PathNames.resolveLink(PathNames.parent(candidate), parent.linkTarget());
        rest = target.isEmpty() ? rest : target + "/" + rest;
        resolved = "";
      } else {
        throw new ImageBuildException(
            "cannot place /" + path + ": its parent /" + candidate + " is a file, not a directory");
      }
    }
    return resolved.isEmpty() ? rest : resolved + "/" + rest;
  }

  private boolean resolvesToDirectory(String path) {
    String current = path;
    for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      FileEntry entry = entries.get(current);
      if (entry == null) {
        return false;
      }
      if (entry.isDirectory()) {
        return true;
      }
      if (entry.type() != EntryType.SYMLINK) {
        return false;
      }
      String target = PathNames.resolveLink(PathNames.parent(current), entry.linkTarget());
      if (target.isEmpty()) {
        return true;
      }
      current = resolveParents(target, false);
    }
    return false;
  }

  /**
   * Adds a directory the build needs, such as {@code tmp}, unless a directory is already there;
   * an existing directory keeps the metadata its package gave it.
   */
  public void addGeneratedDirectory(String path, int mode, long uid, long gid, Instant mtime) {
    String resolved = resolveParents(checkGeneratedPath(path), true);
    FileEntry existing = entries.get(resolved);
    if (existing != null && (existing.isDirectory() || resolvesToDirectory(resolved))) {
      return;
    }
    if (existing != null) {
      throw new ImageBuildException(
          "cannot create directory /" + path + ": package " + describeOwner(existing)
              + " ships a file there");
    }
    entries.put(resolved,
        new FileEntry(resolved, EntryType.DIRECTORY, mode, uid, gid, mtime, "", null, null));
  }

  /** Adds or replaces a generated regular file, as a maintainer script would write it. */
  public void addGeneratedFile(
      String path, byte[] data, int mode, long uid, long gid, Instant mtime) {
    putGenerated(new FileEntry(checkGeneratedPath(path), EntryType.REGULAR, mode, uid, gid, mtime,
        "", new FileContent.Bytes(data), null));
  }

  /** Adds or replaces a generated symbolic link owned by root. */
  public void addGeneratedSymlink(String path, String target, Instant mtime) {
    putGenerated(new FileEntry(checkGeneratedPath(path), EntryType.SYMLINK, 0777, 0, 0, mtime,
        target, null, null));
  }

  private void putGenerated(FileEntry entry) {
    String path = resolveParents(entry.path(), true);
    FileEntry existing = entries.get(path);
    if (existing != null && existing.isDirectory()) {
      throw new ImageBuildException(
          "cannot write /" + path + ": a directory from package " + describeOwner(existing)
              + " is there");
    }
    entries.put(path, withPath(entry, path));
  }

  private static String checkGeneratedPath(String path) {
    String normalized = PathNames.normalize(path.startsWith("/") ? path.substring(1) : path,
        "generated path");
    if (normalized.isEmpty()) {
      throw new IllegalArgumentException("generated path must not be the root");
    }
    return normalized;
  }

  /**
   * Stores {@code entry} at its path as it is, replacing any entry there, for a tree read back
   * from a directory in sorted path order.
   *
   * @throws IllegalArgumentException when the entry's parent directory is not in the tree yet
   */
  public void putEntry(FileEntry entry) {
    String parent = PathNames.parent(entry.path());
    FileEntry parentEntry = parent.isEmpty() ? null : entries.get(parent);
    if (!parent.isEmpty() && (parentEntry == null || !parentEntry.isDirectory())) {
      throw new IllegalArgumentException(
          "cannot store /" + entry.path() + ": its parent /" + parent + " is not a directory of the tree");
    }
    entries.put(entry.path(), entry);
  }

  /** Looks up a normalized path as stored, without following symbolic links. */
  public Optional<FileEntry> get(String path) {
    return Optional.ofNullable(entries.get(path));
  }

  /**
   * Looks up a path after following symbolic links among its parents and at the path itself,
   * as opening it in the image would. Returns an empty result for a dangling path or a loop.
   */
  public Optional<FileEntry> resolve(String path) {
    String current = PathNames.resolveLink("", path);
    for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      current = resolveParents(current, false);
      FileEntry entry = entries.get(current);
      if (entry == null || entry.type() != EntryType.SYMLINK) {
        return Optional.ofNullable(entry);
      }
      current = PathNames.resolveLink(PathNames.parent(current), entry.linkTarget());
    }
    return Optional.empty();
  }

  /** Returns every entry in sorted path order, parents before their children. */
  public Collection<FileEntry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  /** Returns the stored paths below {@code directory}, at any depth, in sorted order. */
  public List<String> pathsUnder(String directory) {
    // Every path that starts with "directory/" sorts before "directory0", because '0' follows '/'.
    return List.copyOf(entries.subMap(directory + "/", directory + "0").keySet());
  }

  /** Returns the entries as a sorted map from path to entry. */
  public Map<String, FileEntry> asMap() {
    return Collections.unmodifiableMap(entries);
  }

  /**
   * Returns one sentence per path that two packages ship under names that merged {@code /usr}
   * makes the same, such as {@code /bin/foo} and {@code /usr/bin/foo}, in the order they were
   * found.
   */
  public List<String> aliasedPaths() {
    return List.copyOf(aliasedPaths);
  }

  /** Returns the member name, before folding into {@code usr/}, of the package file stored at {@code path}. */
  public Optional<String> shippedName(String path) {
    return Optional.ofNullable(shippedNames.get(path));
  }

  /**
   * Moves a regular file, hard link or symbolic link to another path, as {@code dpkg-divert
   * --rename} does; returns whether {@code from} existed.
   */
  public boolean move(String from, String to) {
    FileEntry entry = entries.get(from);
    if (entry == null) {
      return false;
    }
    if (entry.isDirectory()) {
      throw new ImageBuildException("cannot move /" + from + ": it is a directory");
    }
    String target = resolveParents(checkGeneratedPath(to), true);
    FileEntry existing = entries.get(target);
    if (existing != null && existing.isDirectory()) {
      throw new ImageBuildException(
          "cannot move /" + from + " to /" + target + ": a directory is there");
    }
    entries.remove(from);
    entries.put(target, withPath(entry, target));
    String shipped = shippedNames.remove(from);
    if (shipped != null) {
      shippedNames.put(target, shipped);
    }
    return true;
  }

  /**
   * Sets the mode, owner and group of a stored path. A hard link and the file it links to share
   * these, as they are one inode, so both change.
   */
  public void setMetadata(String path, int mode, long uid, long gid) {
    FileEntry entry = entries.get(path);
    if (entry == null) {
      throw new IllegalArgumentException("no entry at " + path);
    }
    String inode = entry.type() == EntryType.HARDLINK ? entry.linkTarget() : path;
    for (Map.Entry<String, FileEntry> stored : entries.entrySet()) {
      FileEntry candidate = stored.getValue();
      boolean sameInode = stored.getKey().equals(inode)
          || (candidate.type() == EntryType.HARDLINK && candidate.linkTarget().equals(inode));
      if (sameInode) {
        stored.setValue(new FileEntry(candidate.path(), candidate.type(), mode, uid, gid,
            candidate.mtime(), candidate.linkTarget(), candidate.content(), candidate.owner()));
      }
    }
  }

  /** Removes an empty directory, as {@code rmdir} does. */
  public void removeEmptyDirectory(String path) {
    FileEntry entry = entries.get(path);
    if (entry == null || !entry.isDirectory() || !pathsUnder(path).isEmpty()) {
      throw new IllegalArgumentException("/" + path + " is not an empty directory");
    }
    entries.remove(path);
    shippedNames.remove(path);
  }

  /** Returns the number of paths. */
  public int size() {
    return entries.size();
  }
}
