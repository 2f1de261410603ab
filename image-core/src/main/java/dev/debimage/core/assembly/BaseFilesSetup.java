package dev.debimage.core.assembly;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes what base-files' postinst (Debian 12's base-files 12.4) writes on a first installation:
 * the default files it copies from {@code /usr/share/base-files}, the top-level directories
 * {@code /mnt}, {@code /srv}, {@code /opt}, {@code /media} and {@code /run/lock}, the links
 * {@code /var/run -> /run} and {@code /var/lock -> /run/lock}, and the {@code /usr/local}
 * hierarchy.
 */
public final class BaseFilesSetup {

  /** The package whose postinst this reproduces. */
  public static final String PACKAGE = "base-files";

  /** GID of the {@code mail} group in base-passwd, which owns {@code /var/mail}. */
  static final int MAIL_GID = 8;

  private static final String DEFAULTS = "usr/share/base-files/";

  private BaseFilesSetup() {}

  /** Applies the effects; generated directories and links get {@code mtime}. */
  public static void apply(FileTree tree, Instant mtime, BuildListener listener) {
    if (tree.get("etc/dpkg/origins/default").isEmpty()
        && tree.get("etc/dpkg/origins/debian").isPresent()) {
      tree.addGeneratedSymlink("etc/dpkg/origins/default", "debian", mtime);
    }
    copyDefault(tree, "dot.profile", "root/.profile");
    copyDefault(tree, "dot.bashrc", "root/.bashrc");
    copyDefault(tree, "profile", "etc/profile");
    copyDefault(tree, "motd", "etc/motd");
    for (String directory : List.of("mnt", "srv", "opt", "etc/opt", "var/opt", "media")) {
      tree.addGeneratedDirectory(directory, 0755, 0, 0, mtime);
    }
    tree.addGeneratedDirectory("var/mail", 02775, 0, MAIL_GID, mtime);
    if (tree.get("var/spool/mail").isEmpty()) {
      tree.addGeneratedSymlink("var/spool/mail", "../mail", mtime);
    }
    tree.addGeneratedDirectory("run/lock", 01777, 0, 0, mtime);
    migrateToLink(tree, "var/run", "/run", mtime, listener);
    migrateToLink(tree, "var/lock", "/run/lock", mtime, listener);
    for (String directory : List.of("", "/share", "/share/man", "/bin", "/games", "/lib",
        "/include", "/sbin", "/src", "/etc")) {
      tree.addGeneratedDirectory("usr/local" + directory, 0755, 0, 0, mtime);
    }
    tree.addGeneratedSymlink("usr/local/man", "share/man", mtime);
  }

  /** Copies a default file unless the target exists, keeping its mode and time as {@code cp -p}. */
  private static void copyDefault(FileTree tree, String name, String target) {
    if (tree.resolve(target).isPresent()) {
      return;
    }
    FileEntry source = tree.resolve(DEFAULTS + name).orElse(null);
    if (source == null || source.content() == null) {
      return;
    }
    try {
      tree.addGeneratedFile(target, source.content().readAllBytes(), source.mode(), 0, 0,
          source.mtime());
    } catch (IOException e) {
      throw new ImageBuildException("failed to read /" + DEFAULTS + name + ": " + e.getMessage(),
          e);
    }
  }

  /** Replaces an empty directory with a link, as the postinst's {@code rmdir} and {@code ln -s}. */
  private static void migrateToLink(
      FileTree tree, String path, String target, Instant mtime, BuildListener listener) {
    FileEntry existing = tree.get(path).orElse(null);
    if (existing != null && existing.type() == EntryType.SYMLINK) {
      return;
    }
    if (existing != null && !tree.pathsUnder(path).isEmpty()) {
      listener.warn("/" + path + " is not empty, so it stays a directory instead of becoming a"
          + " link to " + target + " as base-files' postinst makes it");
      return;
    }
    if (existing != null) {
      tree.removeEmptyDirectory(path);
    }
    tree.addGeneratedSymlink(path, target, mtime);
  }
}
