package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Warns about shared libraries that the dynamic loader will not find because the image has no
 * {@code /etc/ld.so.cache}. libc-bin's trigger runs {@code ldconfig}, which is not run here.
 * Without the cache, glibc's loader (Debian 12's glibc 2.36, as {@code ld.so --help} lists it)
 * searches only {@code DT_RPATH}/{@code DT_RUNPATH}, {@code LD_LIBRARY_PATH} and its system
 * directories: {@code /lib/TRIPLET}, {@code /usr/lib/TRIPLET}, {@code /lib} and
 * {@code /usr/lib}. A directory that a package adds through {@code /etc/ld.so.conf.d}, such as
 * fakeroot's {@code /usr/lib/x86_64-linux-gnu/libfakeroot}, is not searched.
 */
public final class LibraryPathCheck {

  static final String CONF_DIR = "etc/ld.so.conf.d";

  private LibraryPathCheck() {}

  /**
   * Returns the directories named in {@code /etc/ld.so.conf.d/*.conf} that hold a shared library
   * and are not system directories, and warns about each.
   */
  public static List<String> check(FileTree tree, BuildListener listener) {
    List<String> unsearched = new ArrayList<>();
    for (String path : tree.pathsUnder(CONF_DIR)) {
      if (!path.endsWith(".conf")) {
        continue;
      }
      for (String directory : directories(tree, path)) {
        if (isSystemDirectory(directory) || unsearched.contains(directory)
            || !containsSharedLibrary(tree, directory)) {
          continue;
        }
        unsearched.add(directory);
        listener.warn("shared libraries in " + directory + " (listed in /" + path + ") are not"
            + " found by the dynamic loader, because the image has no /etc/ld.so.cache; set"
            + " LD_LIBRARY_PATH in the image environment if a program needs them");
      }
    }
    return unsearched;
  }

  private static List<String> directories(FileTree tree, String confPath) {
    Optional<FileEntry> entry = tree.resolve(confPath);
    List<String> directories = new ArrayList<>();
    if (entry.isEmpty() || entry.get().content() == null) {
      return directories;
    }
    String text;
    try {
      text = new String(entry.get().content().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read /" + confPath + ": " + e.getMessage(), e);
    }
    for (String line : text.lines().toList()) {
      String value = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      value = value.strip();
      if (value.startsWith("/") && !value.startsWith("include")) {
        directories.add(value.endsWith("/") && value.length() > 1
            ? value.substring(0, value.length() - 1) : value);
      }
    }
    return directories;
  }

  /** Returns whether glibc searches {@code directory} without the cache. */
  static boolean isSystemDirectory(String directory) {
    return directory.matches("/(usr/)?lib(/[a-z0-9_]+-linux-gnu[a-z0-9_]*)?");
  }

  private static boolean containsSharedLibrary(FileTree tree, String directory) {
    String resolved = MergedUsr.fold(PathNames.resolveLink("", directory));
    for (String path : tree.pathsUnder(resolved)) {
      String name = PathNames.fileName(path);
      if (PathNames.parent(path).equals(resolved) && name.matches(".*\\.so(\\..*)?")) {
        return true;
      }
    }
    return false;
  }
}
