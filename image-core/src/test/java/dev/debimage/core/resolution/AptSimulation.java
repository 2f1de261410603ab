package dev.debimage.core.resolution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code apt-get install -s --no-install-recommends} in a configuration of its own: copies of
 * the host's sources and of the Packages indexes the test reads, an empty dpkg status file, and
 * no host configuration files, so that apt resolves from exactly the indexes the resolver reads.
 */
final class AptSimulation {

  private final Path configFile;

  private AptSimulation(Path configFile) {
    this.configFile = configFile;
  }

  /**
   * Sets up the configuration under {@code dir}, with hard links to (or copies of) {@code indexes}
   * and the Release files next to them.
   */
  static AptSimulation create(Path dir, Path aptLists, List<Path> indexes) throws IOException {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(etc.resolve("apt.conf.d"));
    Files.createDirectories(etc.resolve("preferences.d"));
    Path sourcesParts = Files.createDirectories(etc.resolve("sources.list.d"));
    Path hostSources = Path.of("/etc/apt/sources.list");
    if (Files.isRegularFile(hostSources)) {
      Files.copy(hostSources, etc.resolve("sources.list"));
    }
    Path hostParts = Path.of("/etc/apt/sources.list.d");
    if (Files.isDirectory(hostParts)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(hostParts)) {
        for (Path file : files) {
          if (Files.isRegularFile(file)) {
            Files.copy(file, sourcesParts.resolve(file.getFileName()));
          }
        }
      }
    }

    Path state = Files.createDirectories(dir.resolve("state"));
    Path lists = Files.createDirectories(state.resolve("lists/partial"));
    lists = lists.getParent();
    Files.writeString(state.resolve("status"), "");
    List<Path> files = new ArrayList<>(indexes);
    try (DirectoryStream<Path> releases = Files.newDirectoryStream(aptLists, "*Release*")) {
      releases.forEach(files::add);
    }
    for (Path file : files) {
      Path target = lists.resolve(file.getFileName());
      try {
        Files.createLink(target, file);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(file, target);
      }
    }
    Path cache = Files.createDirectories(dir.resolve("cache/archives/partial")).getParent().getParent();

    // apt reads APT_CONFIG before the configuration directories, so the directories set here
    // replace the host's /etc/apt entirely.
    String config =
        "Dir::Etc \"" + etc + "/\";\n"
            + "Dir::Etc::main \"" + etc.resolve("apt.conf") + "\";\n"
            + "Dir::Etc::parts \"" + etc.resolve("apt.conf.d") + "/\";\n"
            + "Dir::State \"" + state + "/\";\n"
            + "Dir::State::lists \"" + lists + "/\";\n"
            + "Dir::State::status \"" + state.resolve("status") + "\";\n"
            + "Dir::Cache \"" + cache + "/\";\n"
            + "APT::Architecture \"amd64\";\n"
            + "APT::Architectures { \"amd64\"; };\n"
            + "APT::Install-Recommends \"false\";\n"
            + "Debug::NoLocking \"true\";\n";
    Path configFile = dir.resolve("apt.conf");
    Files.writeString(configFile, config, StandardCharsets.UTF_8);
    return new AptSimulation(configFile);
  }

  /**
   * Sets up an empty configuration under {@code dir} whose only sources are {@code sourcesList}
   * (one-line {@code deb} entries), for {@code architecture} alone, and runs {@code apt-get update}
   * in it, which downloads and verifies those suites' indexes into {@code dir/state/lists}. The
   * host's apt configuration, lists and status are neither read nor changed.
   *
   * @throws IOException when apt-get update fails or reports an error, with its output
   */
  static AptSimulation update(Path dir, String sourcesList, String architecture)
      throws IOException, InterruptedException {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(etc.resolve("apt.conf.d"));
    Files.createDirectories(etc.resolve("preferences.d"));
    Files.createDirectories(etc.resolve("sources.list.d"));
    Files.writeString(etc.resolve("sources.list"), sourcesList, StandardCharsets.UTF_8);
    Path state = Files.createDirectories(dir.resolve("state"));
    Path lists = Files.createDirectories(state.resolve("lists/partial")).getParent();
    Files.writeString(state.resolve("status"), "");
    Path cache = Files.createDirectories(dir.resolve("cache/archives/partial")).getParent().getParent();
    String config =
        "Dir::Etc \"" + etc + "/\";\n"
            + "Dir::Etc::main \"" + etc.resolve("apt.conf") + "\";\n"
            + "Dir::Etc::parts \"" + etc.resolve("apt.conf.d") + "/\";\n"
            + "Dir::State \"" + state + "/\";\n"
            + "Dir::State::lists \"" + lists + "/\";\n"
            + "Dir::State::status \"" + state.resolve("status") + "\";\n"
            + "Dir::Cache \"" + cache + "/\";\n"
            + "APT::Architecture \"" + architecture + "\";\n"
            + "APT::Architectures { \"" + architecture + "\"; };\n"
            + "APT::Install-Recommends \"false\";\n"
            // The test's temporary directory is private to this user, so apt must not switch to _apt.
            + "APT::Sandbox::User \"" + System.getProperty("user.name") + "\";\n"
            + "Acquire::Languages \"none\";\n"
            + "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled \"false\";\n"
            + "Debug::NoLocking \"true\";\n";
    Path configFile = dir.resolve("apt.conf");
    Files.writeString(configFile, config, StandardCharsets.UTF_8);

    ProcessBuilder builder = new ProcessBuilder("apt-get", "update").redirectErrorStream(true);
    builder.environment().put("APT_CONFIG", configFile.toString());
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0
        || output.lines().anyMatch(line -> line.startsWith("E:") || line.startsWith("W:"))) {
      throw new IOException("apt-get update failed:\n" + output);
    }
    return new AptSimulation(configFile);
  }

  /** Returns whether apt-get can be started on this machine. */
  static boolean available() {
    try {
      Process process = new ProcessBuilder("apt-get", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Returns {@code name=version} of every package apt-get would install for {@code requests},
   * sorted.
   *
   * @throws IOException when apt-get fails, with its output
   */
  List<String> install(List<String> requests) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("apt-get", "install", "-s", "--no-install-recommends"));
    command.addAll(requests);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("APT_CONFIG", configFile.toString());
    builder.environment().put("LC_ALL", "C");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("apt-get " + String.join(" ", requests) + " failed:\n" + output);
    }
    List<String> packages = new ArrayList<>();
    for (String line : output.split("\n")) {
      // For example: Inst curl (7.88.1-10+deb12u12 Debian:12.11/stable [amd64])
      if (line.startsWith("Inst ")) {
        String[] words = line.split("\\s+");
        packages.add(words[1] + "=" + words[2].substring(1));
      }
    }
    packages.sort(null);
    return packages;
  }
}
