package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.UserAccount;

/** A {@code <user>} of the pom's {@code <users>}: an account added to the image. */
public class User {

  /** The login name. */
  private String name;

  /** The numeric user ID. */
  private Long uid;

  /** The numeric ID of the primary group; the UID when not set. */
  private Long gid;

  /** The home directory; {@code /home/NAME} when not set. */
  private String home;

  /** The login shell; {@code /bin/sh} when the image has one, else {@code /usr/sbin/nologin}. */
  private String shell;

  public void setName(String name) {
    this.name = name;
  }

  public void setUid(Long uid) {
    this.uid = uid;
  }

  public void setGid(Long gid) {
    this.gid = gid;
  }

  public void setHome(String home) {
    this.home = home;
  }

  public void setShell(String shell) {
    this.shell = shell;
  }

  /** Returns the account as image-core takes it; a missing name or UID is an error. */
  UserAccount toUserAccount() {
    if (name == null || name.isBlank()) {
      throw new ImageBuildException("a <user> has no <name>: name every user");
    }
    if (uid == null) {
      throw new ImageBuildException("user " + name + " has no <uid>: set its numeric user ID");
    }
    String shellPath = shell == null || shell.isBlank() ? null : shell.strip();
    return new UserAccount(name.strip(), uid, gid == null ? uid : gid, home, shellPath);
  }
}
