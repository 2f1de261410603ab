package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The diversions that packages declare with {@code dpkg-divert}: finding the diversion of a
 * package member, and the {@code var/lib/dpkg/diversions} file in dpkg-divert's format and order
 * (dpkg 1.21).
 */
public final class Diversions {

  static final String FILE = "var/lib/dpkg/diversions";

  /** dpkg's number of file name hash buckets; dpkg-divert writes diversions in bucket order. */
  private static final long HASH_BUCKETS = 262139;

  private final List<Diversion> diversions = new ArrayList<>();

  /**
   * Adds a diversion. A second diversion of the same path is an error unless it is the same
   * diversion, as {@code dpkg-divert --add} reports a clash.
   */
  public void add(Diversion diversion) {
    for (Diversion existing : diversions) {
      boolean samePath = fold(existing.path()).equals(fold(diversion.path()));
      if (samePath && existing.divertedTo().equals(diversion.divertedTo())
          && Objects.equals(existing.divertingPackage(), diversion.divertingPackage())) {
        return;
      }
      if (samePath || fold(existing.divertedTo()).equals(fold(diversion.divertedTo()))) {
        throw new ImageBuildException(
            "diversion of " + diversion.path() + " to " + diversion.divertedTo() + " by "
                + describe(diversion) + " clashes with the diversion of " + existing.path()
                + " to " + existing.divertedTo() + " by " + describe(existing)
                + "; remove one of the two packages from the package list");
      }
    }
    diversions.add(diversion);
  }

  /** Returns the diversions in the order they were added. */
  public List<Diversion> list() {
    return List.copyOf(diversions);
  }

  /** Returns whether no diversion was added. */
  public boolean isEmpty() {
    return diversions.isEmpty();
  }

  /**
   * Returns the diversion that applies to the member {@code member} (a normalized path without
   * leading slash) of {@code packageName}. Paths are compared after folding into {@code /usr},
   * so a diversion of {@code /bin/sh} also catches {@code /usr/bin/sh}.
   */
  public Optional<Diversion> find(String packageName, String member) {
    String folded = MergedUsr.fold(member);
    return diversions.stream()
        .filter(diversion -> diversion.diverts(packageName))
        .filter(diversion -> fold(diversion.path()).equals(folded))
        .findFirst();
  }

  /** Writes {@code var/lib/dpkg/diversions}, empty when there is no diversion. */
  public void write(FileTree tree, Instant mtime) {
    tree.addGeneratedFile(FILE, format().getBytes(StandardCharsets.UTF_8), 0644, 0, 0, mtime);
  }

  /**
   * Formats the diversions file: per diversion the path, the diverted path, and the package or
   * {@code :} for a local diversion. dpkg-divert writes them in the order of its file name hash
   * table, so they are sorted by bucket here, and by path within a bucket.
   */
  String format() {
    List<Diversion> sorted = new ArrayList<>(diversions);
    sorted.sort(Comparator.comparingLong((Diversion diversion) -> bucket(diversion.path()))
        .thenComparing(Diversion::path));
    StringBuilder text = new StringBuilder();
    for (Diversion diversion : sorted) {
      text.append(diversion.path()).append('\n').append(diversion.divertedTo()).append('\n')
          .append(diversion.divertingPackage() == null ? ":" : diversion.divertingPackage())
          .append('\n');
    }
    return text.toString();
  }

  /** Returns dpkg's hash bucket of a path: 32-bit FNV-1a of the path without leading slashes. */
  static long bucket(String path) {
    int start = 0;
    while (start < path.length() && path.charAt(start) == '/') {
      start++;
    }
    int hash = 0x811c9dc5;
    for (byte b : path.substring(start).getBytes(StandardCharsets.UTF_8)) {
      // NOTE: dpkg hashes through a plain char. It is signed on amd64, as the sign-extending byte
      // is here, but unsigned on arm64, where non-ASCII paths may therefore sort differently.
      hash ^= b;
      hash *= 16777619;
    }
    return Integer.toUnsignedLong(hash) % HASH_BUCKETS;
  }

  private static String fold(String absolutePath) {
    return MergedUsr.fold(PathNames.resolveLink("", absolutePath));
  }

  private static String describe(Diversion diversion) {
    return diversion.divertingPackage() == null ? "a local diversion"
        : "package " + diversion.divertingPackage();
  }
}
