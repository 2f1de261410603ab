package dev.debimage.core.lock;

import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A signed archive on disk for tests: .deb files under {@code pool/main/}, a Packages index, and an
 * InRelease file that GnuPG signs with a key generated in a private home directory.
 */
final class TestArchive {

  static final String SUITE = "stable";

  private final Path root;
  private final Path gnupgHome;
  private final Path keyring;
  private final List<DebBuilder> packages = new ArrayList<>();

  private TestArchive(Path root, Path gnupgHome, Path keyring) {
    this.root = root;
    this.gnupgHome = gnupgHome;
    this.keyring = keyring;
  }

  /** Creates the archive directory and a signing key under {@code dir}. */
  static TestArchive create(Path dir) throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    gpg(home, "--passphrase", "", "--pinentry-mode", "loopback", "--quick-gen-key",
        "debimage test <test@example.invalid>", "rsa2048", "sign", "never");
    Path keyring = dir.resolve("archive-keyring.gpg");
    gpg(home, "--output", keyring.toString(), "--export");
    return new TestArchive(Files.createDirectories(dir.resolve("archive")), home, keyring);
  }

  /** Adds a package to the next {@link #publish()}. */
  TestArchive add(DebBuilder deb) {
    packages.add(deb);
    return this;
  }

  /** Writes the .deb files, the Packages index and the signed InRelease file. */
  void publish() throws IOException, InterruptedException {
    Path pool = Files.createDirectories(root.resolve("pool/main"));
    StringBuilder index = new StringBuilder();
    for (DebBuilder deb : packages) {
      Path file = deb.write(pool);
      if (index.length() > 0) {
        index.append('\n');
      }
      index.append(deb.control().format())
          .append("Filename: pool/main/").append(file.getFileName()).append('\n')
          .append("Size: ").append(Files.size(file)).append('\n')
          .append("SHA256: ").append(DebBuilder.sha256(file)).append('\n');
    }
    Path dists = Files.createDirectories(root.resolve("dists/" + SUITE + "/main/binary-amd64"));
    Path packagesFile = dists.resolve("Packages");
    Files.writeString(packagesFile, index.toString(), StandardCharsets.UTF_8);
    String date =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT)
            .format(Instant.now().minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
    String release =
        "Origin: Test\nSuite: " + SUITE + "\nCodename: test\nDate: " + date + "\n"
            + "Architectures: amd64\nComponents: main\nSHA256:\n "
            + DebBuilder.sha256(packagesFile) + " " + Files.size(packagesFile)
            + " main/binary-amd64/Packages\n";
    Path releaseFile = root.resolve("dists/" + SUITE + "/Release");
    Files.writeString(releaseFile, release, StandardCharsets.UTF_8);
    Path inRelease = root.resolve("dists/" + SUITE + "/InRelease");
    Files.deleteIfExists(inRelease);
    gpg(gnupgHome, "--digest-algo", "SHA256", "--output", inRelease.toString(), "--clearsign",
        releaseFile.toString());
  }

  /** Returns the archive's directory. */
  Path root() {
    return root;
  }

  /** Returns the archive as a source, verified with the generated key. */
  SourceSpec source() {
    return new SourceSpec(
        List.of(URI.create(root.toUri().toString())), List.of(SUITE), List.of("main"), List.of(),
        Optional.of(keyring.toString()), "test archive");
  }

  /** Stops the gpg-agent that key generation and signing started for the private home. */
  void close() throws IOException, InterruptedException {
    run(List.of("gpgconf", "--homedir", gnupgHome.toString(), "--kill", "gpg-agent"));
  }

  private static void gpg(Path home, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--homedir", home.toString()));
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
  }
}
