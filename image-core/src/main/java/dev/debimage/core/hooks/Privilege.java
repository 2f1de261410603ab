package dev.debimage.core.hooks;

import dev.debimage.core.ImageBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The rights under which the scripts run, chosen from a {@link MaintainerScriptMode} and the host. */
enum Privilege {
  /** As the build user, with no chroot. */
  BUILD_USER,
  /** As root, with chroot available. */
  ROOT,
  /** In a user namespace that maps the build user to root, with chroot available. */
  USER_NAMESPACE;

  /**
   * Chooses the privilege for {@code mode} on this host.
   *
   * @throws ImageBuildException when the mode cannot run here, saying why and what to change
   */
  static Privilege choose(MaintainerScriptMode mode) {
    if (mode == MaintainerScriptMode.OFF) {
      return BUILD_USER;
    }
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
      throw new ImageBuildException(
          "maintainer script mode '" + mode.configName() + "' needs Linux, for chroot and user"
              + " namespaces, but this build runs on " + os + ". Set <maintainerScripts>off"
              + "</maintainerScripts> (image.maintainerScripts) or build on Linux");
    }
    if (HostTools.find("unshare").isEmpty() || HostTools.find("chroot").isEmpty()) {
      throw new ImageBuildException(
          "maintainer script mode '" + mode.configName() + "' needs the unshare and chroot"
              + " commands, which are not on this host's PATH: install util-linux and coreutils,"
              + " or set <maintainerScripts>off</maintainerScripts>");
    }
    boolean root = isRoot();
    switch (mode) {
      case ROOT:
        if (!root) {
          throw new ImageBuildException(
              "maintainer script mode 'root' needs the build to run as root, but it runs as uid "
                  + uid() + ". Run the build as root, or set <maintainerScripts>unshare"
                  + "</maintainerScripts> where the host allows user namespaces");
        }
        return ROOT;
      case USER_NAMESPACE:
        if (!userNamespacesWork()) {
          throw new ImageBuildException(
              "maintainer script mode 'unshare' needs user namespaces, but 'unshare --user"
                  + " --map-root-user true' fails on this host (check the sysctls"
                  + " user.max_user_namespaces and kernel.apparmor_restrict_unprivileged_userns)."
                  + " Allow them, run the build as root with <maintainerScripts>root"
                  + "</maintainerScripts>, or set it to off");
        }
        return USER_NAMESPACE;
      default:
        if (root) {
          return ROOT;
        }
        if (userNamespacesWork()) {
          return USER_NAMESPACE;
        }
        throw new ImageBuildException(
            "maintainer script mode 'auto' found no way to run maintainer scripts: the build runs"
                + " as uid " + uid() + ", not root, and 'unshare --user --map-root-user true' fails,"
                + " so user namespaces are not allowed. Run the build as root, allow user"
                + " namespaces (sysctl user.max_user_namespaces), or set <maintainerScripts>off"
                + "</maintainerScripts> to use the natively produced effects instead");
    }
  }

  /** Returns whether the JVM runs as uid 0. */
  static boolean isRoot() {
    return uid() == 0;
  }

  /** Returns the uid of the JVM, or -1 where the system does not tell. */
  static int uid() {
    return procSelf("unix:uid");
  }

  /** Returns the gid of the JVM, or -1 where the system does not tell. */
  static int gid() {
    return procSelf("unix:gid");
  }

  private static int procSelf(String attribute) {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** Returns whether this host lets the build user create a user namespace with a root mapping. */
  static boolean userNamespacesWork() {
    try {
      Process process = new ProcessBuilder(
          HostTools.find("unshare").orElse(Path.of("unshare")).toString(),
          "--user", "--map-root-user", "true")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
