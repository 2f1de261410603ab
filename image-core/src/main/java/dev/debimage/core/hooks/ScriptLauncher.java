package dev.debimage.core.hooks;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Runs one script or command, on the build host or in a chroot of the written tree, with the
 * rights of a {@link Privilege}. Every output line goes to the {@link BuildListener}, and a
 * non-zero exit fails the build with the script's name, exit code and last output lines.
 */
final class ScriptLauncher {

  /** Output lines quoted in the error message of a failed script. */
  static final int TAIL_LINES = 20;

  /** The device nodes that are bind-mounted from the host into the chroot while commands run in it. */
  static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom");

  /**
   * Mounts the host's device nodes over the placeholders in {@code $root/dev}, then runs the
   * command in a chroot. It runs in a private mount namespace, so the mounts end with it.
   */
  private static final String CHROOT_WRAPPER =
      "set -e; root=$1; shift;"
          + " for device in " + String.join(" ", DEVICES) + "; do"
          + " mount --bind \"/dev/$device\" \"$root/dev/$device\"; done;"
          + " exec chroot \"$root\" \"$@\"";

  /** The environment of commands in the chroot, as multistrap sets it for dpkg. */
  private static final Map<String, String> CHROOT_ENVIRONMENT = Map.of(
      "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "DEBIAN_FRONTEND", "noninteractive",
      "DEBCONF_NONINTERACTIVE_SEEN", "true",
      "LC_ALL", "C",
      "LANGUAGE", "C",
      "LANG", "C",
      "HOME", "/root");

  private final Privilege privilege;
  private final IdMapping ids;
  private final BuildListener listener;

  ScriptLauncher(Privilege privilege, IdMapping ids, BuildListener listener) {
    this.privilege = privilege;
    this.ids = ids;
    this.listener = listener;
  }

  /** Returns the privilege that scripts run with. */
  Privilege privilege() {
    return privilege;
  }

  /**
   * Runs {@code script} on the build host with {@code arguments}. In a user namespace the script
   * runs as its root, so that it can call chroot.
   */
  void runOnHost(String stage, Path script, List<String> arguments) {
    List<String> command = new ArrayList<>();
    if (privilege == Privilege.USER_NAMESPACE) {
      command.add(tool("unshare"));
      command.addAll(ids.unshareOptions());
      command.add("--");
    }
    command.add(script.toString());
    command.addAll(arguments);
    run(stage, script.getFileName().toString(), command, null);
  }

  /**
   * Runs {@code command} in a chroot of {@code root}, with a clean environment and the host's
   * {@code /dev/null}, {@code /dev/zero}, {@code /dev/full}, {@code /dev/random} and
   * {@code /dev/urandom} mounted over placeholder files that must exist in {@code root/dev}.
   */
  void runInChroot(String stage, String name, Path root, List<String> command) {
    runInChroot(stage, name, root, command, Map.of());
  }

  /** Does what {@link #runInChroot(String, String, Path, List)} does, with more environment variables. */
  void runInChroot(
      String stage, String name, Path root, List<String> command, Map<String, String> environment) {
    if (privilege == Privilege.BUILD_USER) {
      throw new IllegalStateException("a chroot needs root or a user namespace");
    }
    List<String> full = new ArrayList<>();
    full.add(tool("unshare"));
    if (privilege == Privilege.USER_NAMESPACE) {
      full.addAll(ids.unshareOptions());
    }
    full.addAll(List.of("--mount", "--", "/bin/sh", "-c", CHROOT_WRAPPER, "sh", root.toString()));
    full.addAll(command);
    Map<String, String> all = new java.util.TreeMap<>(CHROOT_ENVIRONMENT);
    all.putAll(environment);
    run(stage, name, full, all);
  }

  /**
   * Deletes {@code directory} from inside the user namespace, where files that scripts gave to
   * subordinate ids belong to its root. Does nothing with other privileges.
   */
  void deleteInNamespace(Path directory) {
    if (privilege != Privilege.USER_NAMESPACE || ids.userRange().isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(tool("unshare"));
    command.addAll(ids.unshareOptions());
    command.addAll(List.of("--", "rm", "-rf", "--one-file-system", directory.toString()));
    run("cleanup", "rm -rf " + directory, command, null);
  }

  private void run(String stage, String name, List<String> command, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    listener.info("Running " + stage + " " + name);
    Deque<String> tail = new ArrayDeque<>();
    int exitCode;
    try {
      Process process = builder.start();
      try (BufferedReader output = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = output.readLine()) != null) {
          listener.info("[" + name + "] " + line);
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
      exitCode = process.waitFor();
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to start " + stage + " " + name + " (" + command.get(0) + "): " + e.getMessage()
              + ". Check that the file exists and is executable, and that its #! line names an"
              + " interpreter of the build host", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while " + stage + " " + name + " ran", e);
    }
    if (exitCode != 0) {
      throw new ImageBuildException(
          stage + " " + name + " failed with exit code " + exitCode + ". Its last output lines:\n"
              + (tail.isEmpty() ? "(no output)" : String.join("\n", tail))
              + "\nFix the script, or remove it from the build");
    }
  }

  private static String tool(String name) {
    return HostTools.find(name)
        .orElseThrow(() -> new ImageBuildException(
            "the command " + name + " is not on this host's PATH: install util-linux"))
        .toString();
  }
}
