package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;

/**
 * Writes {@code /etc/nsswitch.conf} as libc-bin's postinst (Debian 12's libc-bin 2.36) does on a
 * first installation: a copy of {@code /usr/share/libc-bin/nsswitch.conf} unless the file exists.
 * Without it, glibc looks up host names in DNS before {@code /etc/hosts}.
 */
public final class NameServiceSwitch {

  /** The package whose postinst this reproduces. */
  public static final String PACKAGE = "libc-bin";

  static final String CONFIG = "etc/nsswitch.conf";
  static final String DEFAULT = "usr/share/libc-bin/nsswitch.conf";

  private NameServiceSwitch() {}

  /** Copies the default file, keeping its mode and time as {@code cp -p} does. */
  public static void apply(FileTree tree) {
    if (tree.resolve(CONFIG).isPresent()) {
      return;
    }
    FileEntry source = tree.resolve(DEFAULT).orElse(null);
    if (source == null || source.content() == null) {
      return;
    }
    try {
      tree.addGeneratedFile(CONFIG, source.content().readAllBytes(), source.mode(), 0, 0,
          source.mtime());
    } catch (IOException e) {
      throw new ImageBuildException("failed to read /" + DEFAULT + ": " + e.getMessage(), e);
    }
  }
}
