package dev.debimage.core.multistrap;

import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.sources.Keyring;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real multistrap (Debian's package, as root) on a configuration inside one temporary
 * directory, and reads the packages it installed from the dpkg status file it writes.
 *
 * <p>multistrap runs apt-get with its own configuration below the target directory, except for
 * one {@code apt-get download} of the keyring packages, which uses the host's apt configuration
 * and state. {@code APT_CONFIG} points that call at an apt configuration, sources list, bundled
 * Debian keys and state of its own in the same temporary directory. The working directory, which
 * receives the downloaded keyring package, is inside it too.
 *
 * <p>{@code TMPDIR} is the relative path {@code tmp}, so that multistrap's {@code mktemp -t} files
 * land below the working directory, or below the target directory while multistrap unpacks
 * there. multistrap 2.2.11 runs {@code mktemp -p ./tmp -d -t} and then prefixes the result with
 * {@code ./}, which fails for an absolute {@code TMPDIR}: the control files are not read and the
 * dpkg status file lists no package names.
 */
final class MultistrapRunner {

  /** The multistrap program that Debian's multistrap package installs. */
  static final Path MULTISTRAP = Path.of("/usr/sbin/multistrap");

  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  /** One installed package as the dpkg status file lists it. */
  record Installed(String name, String version, String architecture) {}

  private final Path directory;

  /** Prepares a run in {@code directory}, an empty directory that the caller deletes. */
  MultistrapRunner(Path directory) {
    this.directory = directory;
  }

  /** Returns the target directory, where multistrap unpacks the packages. */
  Path target() {
    return directory.resolve("root");
  }

  /** Returns the file that receives the output of multistrap and apt-get. */
  Path log() {
    return directory.resolve("multistrap.log");
  }

  /**
   * Runs multistrap on {@code config} for {@code architecture} and returns the installed packages
   * by name. {@code keyringMirror} is the Debian archive that the keyring packages are downloaded
   * from, with suite {@code suite}.
   */
  Map<String, Installed> run(Path config, URI keyringMirror, String suite, String architecture)
      throws IOException, InterruptedException {
    Path aptConfig = isolatedApt(keyringMirror, suite, architecture);
    Path work = Files.createDirectories(directory.resolve("work"));
    Files.createDirectories(work.resolve("tmp"));

    run(List.of("apt-get", "update"), aptConfig, work);
    run(List.of(MULTISTRAP.toString(), "-f", config.toString(), "-d", target().toString()), aptConfig, work);
    return installed(target().resolve("var/lib/dpkg/status"));
  }

  /**
   * Writes an apt configuration whose every directory lies below {@code directory/apt}, with one
   * sources line for the keyring packages and the bundled Debian archive keys.
   */
  private Path isolatedApt(URI mirror, String suite, String architecture) throws IOException {
    Path apt = directory.resolve("apt");
    for (String sub : List.of("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
        "etc/apt/trusted.gpg.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial",
        "var/lib/dpkg", "var/log/apt")) {
      Files.createDirectories(apt.resolve(sub));
    }
    Files.write(apt.resolve("var/lib/dpkg/status"), new byte[0]);
    Files.write(apt.resolve("etc/apt/trusted.gpg.d/debian-archive-keyring.gpg"), Keyring.bundledDebian().encoded());
    Files.writeString(apt.resolve("etc/apt/sources.list"),
        "deb [arch=" + architecture + "] " + mirror + " " + suite + " main\n", StandardCharsets.UTF_8);
    Path config = apt.resolve("apt.conf");
    Files.writeString(config, String.join("\n",
        "Dir \"" + apt + "/\";",
        "Dir::Etc \"" + apt + "/etc/apt/\";",
        "Dir::State \"" + apt + "/var/lib/apt/\";",
        "Dir::State::Status \"" + apt + "/var/lib/dpkg/status\";",
        "Dir::Cache \"" + apt + "/var/cache/apt/\";",
        "Dir::Log \"" + apt + "/var/log/apt/\";",
        "APT::Architecture \"" + architecture + "\";",
        "APT::Architectures { \"" + architecture + "\"; };",
        // The _apt user cannot enter the temporary directory, which only root may read.
        "APT::Sandbox::User \"root\";",
        ""), StandardCharsets.UTF_8);
    return config;
  }

  private void run(List<String> command, Path aptConfig, Path work)
      throws IOException, InterruptedException {
    Files.writeString(log(), "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().put("APT_CONFIG", aptConfig.toString());
    builder.environment().put("TMPDIR", "tmp");
    builder.environment().put("LC_ALL", "C");
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command.get(0) + " timed out after " + TIMEOUT + "; see " + log());
    }
    if (process.exitValue() != 0) {
      String tail = Files.readString(log(), StandardCharsets.UTF_8);
      tail = tail.substring(Math.max(0, tail.length() - 4000));
      throw new AssertionError(command.get(0) + " exited with " + process.exitValue() + ":\n" + tail);
    }
  }

  /** Reads the packages of a dpkg status file, by name. */
  static Map<String, Installed> installed(Path status) throws IOException {
    Map<String, Installed> packages = new TreeMap<>();
    for (Stanza stanza : Deb822.parse(Files.readString(status, StandardCharsets.UTF_8), status.toString())) {
      String name = stanza.require("Package", status.toString());
      packages.put(name, new Installed(
          name, stanza.require("Version", status.toString()), stanza.require("Architecture", status.toString())));
    }
    return packages;
  }
}
