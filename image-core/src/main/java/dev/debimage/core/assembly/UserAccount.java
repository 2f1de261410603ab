package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;

/**
 * A user that the build adds to {@code /etc/passwd} and {@code /etc/shadow}, with a locked
 * password.
 *
 * @param name the login name, such as {@code app}
 * @param uid the numeric user ID
 * @param gid the numeric ID of the primary group; a group of the user's name is added when no
 *     group has this ID
 * @param home the absolute home directory, created owned by the user unless it exists;
 *     {@code /home/NAME} when not set
 * @param shell the absolute login shell; {@code null} means {@code /bin/sh} when the image has
 *     one and {@code /usr/sbin/nologin} otherwise
 */
public record UserAccount(String name, long uid, long gid, String home, String shell) {

  /** The largest user or group ID; {@code 4294967295} is {@code (uid_t) -1}, which means none. */
  public static final long MAX_ID = 4294967294L;

  public UserAccount {
    checkName(name, "user");
    checkId(uid, "UID of user " + name);
    checkId(gid, "GID of user " + name);
    home = home == null || home.isBlank() ? "/home/" + name : home;
    if (!home.startsWith("/") || home.contains(":") || home.contains("\n")) {
      throw new ImageBuildException("invalid home directory '" + home + "' of user " + name
          + ": use an absolute path such as /home/" + name);
    }
    if (shell != null && (!shell.startsWith("/") || shell.contains(":") || shell.contains("\n"))) {
      throw new ImageBuildException("invalid shell '" + shell + "' of user " + name
          + ": use an absolute path such as /bin/sh, or leave it unset");
    }
  }

  /**
   * Rejects a user or group name that {@code useradd} on Debian would reject: it starts with a
   * lower-case letter or underscore, continues with lower-case letters, digits, underscores or
   * hyphens, and has at most 32 characters.
   */
  static void checkName(String name, String kind) {
    if (name == null || !name.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new ImageBuildException("invalid " + kind + " name '" + name + "': use at most 32"
          + " lower-case letters, digits, '_' or '-', starting with a letter or '_'");
    }
  }

  static void checkId(long id, String what) {
    if (id < 0 || id > MAX_ID) {
      throw new ImageBuildException(
          "invalid " + what + ": " + id + "; use a number from 0 to " + MAX_ID);
    }
  }
}
