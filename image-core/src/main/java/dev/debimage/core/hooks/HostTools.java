package dev.debimage.core.hooks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the build host's commands, such as {@code unshare} and {@code chroot}. */
final class HostTools {

  /** Searched after the {@code PATH} entries, since sbin directories are often missing from it. */
  private static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private HostTools() {}

  /** Returns the first executable file named {@code name} in {@code PATH} or the system directories. */
  static Optional<Path> find(String name) {
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isEmpty()) {
          directories.add(entry);
        }
      }
    }
    directories.addAll(SYSTEM_DIRECTORIES);
    for (String directory : directories) {
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
