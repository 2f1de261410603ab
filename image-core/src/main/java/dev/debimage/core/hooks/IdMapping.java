package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mapping from the owners that scripts left on disk to the owners in the image.
 *
 * @param userRange the build user's first subordinate uid range, when a user namespace maps it
 * @param groupRange the build user's first subordinate gid range, when a user namespace maps it
 * @param mode how ids on disk are read
 */
record IdMapping(Optional<Range> userRange, Optional<Range> groupRange, Mode mode) {

  /** The way ids on disk are read. */
  enum Mode {
    /** Every changed path is owned by root, because the scripts ran as the build user. */
    ALL_ROOT,
    /** Ids on disk are the image's ids, because the scripts ran as root. */
    IDENTITY,
    /** The build user is root, and the subordinate ranges are ids 1 and up. */
    USER_NAMESPACE
  }

  /**
   * A range of subordinate ids as {@code /etc/subuid} lists it.
   *
   * @param start the first id on the host
   * @param count how many ids
   */
  record Range(long start, long count) {}

  static final IdMapping ALL_ROOT = new IdMapping(Optional.empty(), Optional.empty(), Mode.ALL_ROOT);
  static final IdMapping IDENTITY = new IdMapping(Optional.empty(), Optional.empty(), Mode.IDENTITY);

  /** Returns the mapping of a user namespace for the build user, with its subordinate ranges if it has both. */
  static IdMapping userNamespace() {
    String user = System.getProperty("user.name", "");
    long uid = Privilege.uid();
    Optional<Range> users = firstRange(Path.of("/etc/subuid"), user, uid);
    Optional<Range> groups = firstRange(Path.of("/etc/subgid"), user, uid);
    if (users.isEmpty() || groups.isEmpty() || uid == 0) {
      // NOTE: root has no subordinate ranges by default, and newuidmap refuses to map others for it.
      return new IdMapping(Optional.empty(), Optional.empty(), Mode.USER_NAMESPACE);
    }
    return new IdMapping(users, groups, Mode.USER_NAMESPACE);
  }

  /**
   * Returns the options of unshare(1) that create the namespace.
   *
   * <p>NOTE: no test runs the subordinate id mapping, because the test machine builds as root.
   */
  List<String> unshareOptions() {
    if (userRange.isEmpty()) {
      return List.of("--user", "--map-root-user");
    }
    Range users = userRange.get();
    Range groups = groupRange.orElseThrow();
    return List.of("--user", "--map-root-user",
        "--map-users=" + users.start() + ",1," + users.count(),
        "--map-groups=" + groups.start() + ",1," + groups.count());
  }

  /** Returns the image uid of a uid on disk. */
  long uid(long onDisk) {
    return map(onDisk, Privilege.uid(), userRange);
  }

  /** Returns the image gid of a gid on disk. */
  long gid(long onDisk) {
    return map(onDisk, Privilege.gid(), groupRange);
  }

  private long map(long onDisk, long own, Optional<Range> range) {
    switch (mode) {
      case ALL_ROOT:
        return 0;
      case IDENTITY:
        return onDisk;
      default:
        if (range.isPresent() && onDisk >= range.get().start()
            && onDisk < range.get().start() + range.get().count()) {
          return onDisk - range.get().start() + 1;
        }
        // The build user's own id is root inside, and ids outside the ranges cannot appear.
        return 0;
    }
  }

  private static Optional<Range> firstRange(Path file, String user, long uid) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] fields = line.strip().split(":");
        if (fields.length == 3 && (fields[0].equals(user) || fields[0].equals(Long.toString(uid)))) {
          return Optional.of(new Range(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new ImageBuildException("failed to read " + file + ": " + e + ". Fix the file's syntax (NAME:START:COUNT)", e);
    }
    return Optional.empty();
  }
}
