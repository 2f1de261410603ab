package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the user and group databases and the home and scratch directories that
 * base-passwd's {@code update-passwd} and base-files would leave, plus the unprivileged
 * {@code nonroot} user that application containers run as.
 *
 * <p>{@code /etc/shadow} and {@code /etc/gshadow} get mode 0640, owner root and group
 * {@code shadow} (GID 42, as base-passwd assigns it); both the base-passwd master files and the
 * minimal set contain that group. Every password is locked ({@code *}).
 */
public final class Accounts {

  /** UID and GID of the {@code nonroot} user, as distroless images use them. */
  public static final int NONROOT_ID = 65532;

  /** GID of the {@code shadow} group in base-passwd. */
  public static final int SHADOW_GID = 42;

  static final String PASSWD_MASTER = "usr/share/base-passwd/passwd.master";
  static final String GROUP_MASTER = "usr/share/base-passwd/group.master";

  private static final String MINIMAL_PASSWD =
      "root:x:0:0:root:/root:/bin/sh\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
  private static final String MINIMAL_GROUP =
      "root:x:0:\n"
          + "shadow:x:42:\n"
          + "nogroup:x:65534:\n";

  private Accounts() {}

  /**
   * Writes {@code etc/passwd}, {@code etc/group}, {@code etc/shadow} and {@code etc/gshadow}
   * and creates {@code root}, {@code home/nonroot}, {@code tmp}, {@code var/tmp} and {@code run}.
   */
  public static void write(FileTree tree, Instant mtime) {
    write(tree, mtime, ImageShape.NONE);
  }

  /**
   * Writes the account files as {@link #write(FileTree, Instant)} does, with the users and
   * groups of {@code shape} added, and creates each added user's home directory.
   */
  public static void write(FileTree tree, Instant mtime, ImageShape shape) {
    Optional<String> passwdMaster = readText(tree, PASSWD_MASTER);
    Optional<String> groupMaster = readText(tree, GROUP_MASTER);
    String passwd = passwdMaster.orElse(MINIMAL_PASSWD);
    String group = groupMaster.orElse(MINIMAL_GROUP);

    List<String> users = new ArrayList<>();
    for (String line : passwd.lines().toList()) {
      if (!line.isBlank()) {
        users.add(fixRootShell(tree, shadowed(line, 7, PASSWD_MASTER)));
      }
    }
    users.add("nonroot:x:" + NONROOT_ID + ":" + NONROOT_ID + ":nonroot:/home/nonroot:"
        + loginShell(tree));
    List<String> groups = new ArrayList<>();
    for (String line : group.lines().toList()) {
      if (!line.isBlank()) {
        groups.add(shadowed(line, 4, GROUP_MASTER));
      }
    }
    groups.add("nonroot:x:" + NONROOT_ID + ":");
    requireShadowGroup(groups);
    addAccounts(tree, shape, users, groups);

    long lastChange = Duration.between(Instant.EPOCH, mtime).toDays();
    List<String> shadow = new ArrayList<>();
    for (String user : users) {
      shadow.add(user.substring(0, user.indexOf(':')) + ":*:" + lastChange + ":0:99999:7:::");
    }
    List<String> gshadow = new ArrayList<>();
    for (String line : groups) {
      String[] fields = line.split(":", -1);
      gshadow.add(fields[0] + ":*::" + fields[3]);
    }

    writeLines(tree, "etc/passwd", users, 0644, 0, mtime);
    writeLines(tree, "etc/group", groups, 0644, 0, mtime);
    writeLines(tree, "etc/shadow", shadow, 0640, SHADOW_GID, mtime);
    writeLines(tree, "etc/gshadow", gshadow, 0640, SHADOW_GID, mtime);

    tree.addGeneratedDirectory("root", 0700, 0, 0, mtime);
    tree.addGeneratedDirectory("home", 0755, 0, 0, mtime);
    tree.addGeneratedDirectory("home/nonroot", 0750, NONROOT_ID, NONROOT_ID, mtime);
    tree.addGeneratedDirectory("tmp", 01777, 0, 0, mtime);
    tree.addGeneratedDirectory("var/tmp", 01777, 0, 0, mtime);
    tree.addGeneratedDirectory("run", 0755, 0, 0, mtime);
    for (UserAccount user : shape.users()) {
      String home = user.home().substring(1);
      if (!home.isEmpty() && !user.home().equals("/nonexistent")
          && tree.resolve(home).isEmpty()) {
        tree.addGeneratedDirectory(home, 0750, user.uid(), user.gid(), mtime);
      }
    }
  }

  /**
   * Appends the project's groups and users. A name or ID that is already taken is an error,
   * and a user whose GID no group has gets a group of its own name.
   */
  private static void addAccounts(
      FileTree tree, ImageShape shape, List<String> users, List<String> groups) {
    for (GroupAccount group : shape.groups()) {
      checkFree(groups, group.name(), group.gid(), "group", "/etc/group");
      groups.add(group.name() + ":x:" + group.gid() + ":" + String.join(",", group.members()));
    }
    for (UserAccount user : shape.users()) {
      checkFree(users, user.name(), user.uid(), "user", "/etc/passwd");
      String shell = user.shell() == null ? loginShell(tree) : user.shell();
      users.add(user.name() + ":x:" + user.uid() + ":" + user.gid() + ":" + user.name() + ":"
          + user.home() + ":" + shell);
      boolean groupExists = groups.stream()
          .anyMatch(line -> line.split(":", -1)[2].equals(String.valueOf(user.gid())));
      if (!groupExists) {
        try {
          checkFree(groups, user.name(), user.gid(), "group", "/etc/group");
        } catch (ImageBuildException e) {
          throw new ImageBuildException(
              "user " + user.name() + " has GID " + user.gid() + ", which no group has, so the user"
                  + " would get a group of its own name, but " + e.getMessage() + ". Set the user's"
                  + " GID to the GID of the existing group, or rename one of them", e);
        }
        groups.add(user.name() + ":x:" + user.gid() + ":");
      }
    }
    List<String> userNames = users.stream().map(line -> line.substring(0, line.indexOf(':')))
        .toList();
    for (GroupAccount group : shape.groups()) {
      for (String member : group.members()) {
        if (!userNames.contains(member)) {
          throw new ImageBuildException("group " + group.name() + " lists member '" + member
              + "', which is not a user of the image; add the user or remove the member");
        }
      }
    }
  }

  private static void checkFree(
      List<String> lines, String name, long id, String kind, String file) {
    for (String line : lines) {
      String[] fields = line.split(":", -1);
      if (fields[0].equals(name)) {
        throw new ImageBuildException(kind + " name '" + name + "' is already in " + file
            + " of the image: '" + line + "'; choose another name");
      }
      if (fields[2].equals(String.valueOf(id))) {
        throw new ImageBuildException(kind + " ID " + id + " of " + kind + " " + name
            + " is already taken in " + file + " of the image: '" + line
            + "'; choose another ID");
      }
    }
  }

  /** Returns {@code /bin/sh} when the tree has a shell there, else {@code /usr/sbin/nologin}. */
  static String loginShell(FileTree tree) {
    return tree.resolve("usr/bin/sh").isPresent() ? "/bin/sh" : "/usr/sbin/nologin";
  }

  /**
   * Returns the line with {@code x} as its password field, meaning "see the shadow file", as
   * {@code shadowconfig on} leaves it; base-passwd's master files have {@code *} there.
   */
  private static String shadowed(String line, int fieldCount, String source) {
    String[] fields = line.split(":", -1);
    if (fields.length != fieldCount) {
      throw new ImageBuildException(
          "invalid line '" + line + "' in " + source + ": expected " + fieldCount + " fields");
    }
    fields[1] = "x";
    return String.join(":", fields);
  }

  /**
   * Replaces root's shell when the image lacks it: base-passwd's master file names
   * {@code /bin/bash}, which a minimal image does not contain.
   */
  private static String fixRootShell(FileTree tree, String line) {
    String[] fields = line.split(":", -1);
    String shell = PathNames.resolveLink("", fields[6]);
    if (!fields[0].equals("root") || tree.resolve(MergedUsr.fold(shell)).isPresent()) {
      return line;
    }
    fields[6] = loginShell(tree);
    return String.join(":", fields);
  }

  private static void requireShadowGroup(List<String> groups) {
    for (String line : groups) {
      if (line.startsWith("shadow:")) {
        if (!line.startsWith("shadow:x:" + SHADOW_GID + ":")) {
          throw new ImageBuildException(
              "group shadow in " + GROUP_MASTER + " does not have GID " + SHADOW_GID
                  + ": '" + line + "'; the shadow files are written for GID " + SHADOW_GID);
        }
        return;
      }
    }
    groups.add("shadow:x:" + SHADOW_GID + ":");
  }

  private static Optional<String> readText(FileTree tree, String path) {
    Optional<FileEntry> entry = tree.resolve(path);
    if (entry.isEmpty() || entry.get().content() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(entry.get().content().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ImageBuildException("failed to read " + path + ": " + e.getMessage(), e);
    }
  }

  private static void writeLines(
      FileTree tree, String path, List<String> lines, int mode, long gid, Instant mtime) {
    String text = String.join("\n", lines) + "\n";
    tree.addGeneratedFile(path, text.getBytes(StandardCharsets.UTF_8), mode, 0, gid, mtime);
  }
}
