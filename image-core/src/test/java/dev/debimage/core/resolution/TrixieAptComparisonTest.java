package dev.debimage.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.sources.HostAptSources;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares the resolver with apt on trixie, for amd64 and for arm64 built on this machine. apt
 * downloads and verifies the trixie, trixie-updates and trixie-security main indexes from the
 * host's Debian mirror into a configuration of its own, and both resolve from those same files.
 * Skipped when apt-get, the host's Debian mirror or the Debian archive keyring is missing, or the
 * mirror does not respond.
 */
class TrixieAptComparisonTest {

  private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");

  /**
   * Package sets compared on amd64: a Java runtime, python3, nginx and curl, common server
   * packages, sets that pull from trixie-security whenever it has an update of one of their
   * packages, and sets whose dependencies name virtual packages with several providers.
   */
  static final List<List<String>> AMD64_SETS =
      List.of(
          List.of("openjdk-21-jre-headless"),
          List.of("python3"),
          List.of("nginx"),
          List.of("curl"),
          List.of("git"),
          List.of("openssh-server"),
          List.of("perl"),
          List.of("postgresql"),
          List.of("apache2"),
          List.of("redis-server"),
          List.of("default-jre-headless", "maven"),
          List.of("ca-certificates", "tzdata", "netbase"),
          List.of("busybox", "openssl", "jq"),
          // bsd-mailx needs default-mta | mail-transport-agent, a virtual package with several
          // providers behind a real alternative.
          List.of("bsd-mailx"),
          // Each of these depends on a virtual package alone that several packages provide:
          // mailx (bsd-mailx, mailutils), exim4-localscanapi-6.0 (exim4-daemon-heavy,
          // exim4-daemon-light) and container-network-stack (containernetworking-plugins,
          // netavark).
          List.of("tua"),
          List.of("sa-exim"),
          List.of("golang-github-containers-common"),
          List.of("libnss3", "libc6", "libssl3t64"));

  /**
   * Sets where apt and debimage choose different providers of a virtual package on purpose, with
   * the provider apt chooses. Both providers have the same {@code Priority}, so debimage takes the
   * first by name, and apt takes another by a tie-break of its own (see docs/resolver.md).
   * For these the test checks that the warning names the choice, and that requesting apt's
   * provider as well gives apt's package set exactly.
   */
  static final Map<List<String>, String> INTENDED_PROVIDER_CHOICES =
      Map.of(List.of("sa-exim"), "exim4-daemon-light");

  /** Package sets compared on arm64, the architecture of another build host. */
  static final List<List<String>> ARM64_SETS =
      List.of(
          List.of("openjdk-21-jre-headless"),
          List.of("python3"),
          List.of("nginx"),
          List.of("curl"),
          List.of("busybox", "openssl", "jq"));

  @TempDir Path temp;

  @Test
  void amd64MatchesApt() throws Exception {
    compare("amd64", AMD64_SETS);
  }

  @Test
  void arm64MatchesApt() throws Exception {
    compare("arm64", ARM64_SETS);
  }

  private void compare(String architecture, List<List<String>> sets) throws Exception {
    Assumptions.assumeTrue(AptSimulation.available(), "apt-get is not available");
    Assumptions.assumeTrue(Files.isRegularFile(KEYRING), KEYRING + " is missing (package debian-archive-keyring)");
    Optional<URI> debian = hostMirror("/debian");
    Assumptions.assumeTrue(debian.isPresent(), "the host's apt sources name no Debian mirror");
    Optional<URI> security = hostMirror("/debian-security");

    StringBuilder sources = new StringBuilder();
    String options = "[arch=" + architecture + " signed-by=" + KEYRING + "]";
    for (String suite : List.of("trixie", "trixie-updates")) {
      sources.append("deb ").append(options).append(' ').append(debian.get()).append(' ').append(suite).append(" main\n");
    }
    security.ifPresent(uri -> sources.append("deb ").append(options).append(' ').append(uri)
        .append(" trixie-security main\n"));
    AptSimulation apt;
    try {
      apt = AptSimulation.update(temp.resolve("apt"), sources.toString(), architecture);
    } catch (IOException e) {
      Assumptions.abort("apt-get update of trixie from the host's mirror failed: " + e.getMessage());
      return;
    }

    Path lists = temp.resolve("apt/state/lists");
    List<Path> indexes = HostAptLists.findIndexes(lists, architecture);
    assertTrue(indexes.stream().anyMatch(path -> path.toString().contains("_dists_trixie_main_")), indexes.toString());
    List<BinaryPackage> universe = new ArrayList<>();
    for (Path index : indexes) {
      HostAptLists.read(index, universe);
    }
    Resolver resolver = new Resolver(universe, architecture);

    List<String> differences = new ArrayList<>();
    for (List<String> requests : sets) {
      List<String> expected = apt.install(requests);
      Resolution resolution;
      try {
        resolution = resolver.resolve(requests);
      } catch (ImageBuildException e) {
        differences.add(String.join(" ", requests) + ": apt installs " + expected.size() + " packages, debimage fails: "
            + e.getMessage());
        continue;
      }
      String aptProvider = INTENDED_PROVIDER_CHOICES.get(requests);
      if (aptProvider != null) {
        assertTrue(resolution.warnings().stream().anyMatch(warning -> warning.contains("several providers")
            && warning.contains(aptProvider)), resolution.warnings().toString());
        List<String> withProvider = new ArrayList<>(requests);
        withProvider.add(aptProvider);
        resolution = resolver.resolve(withProvider);
      }
      List<String> ours = resolution.packages().stream()
          .map(binary -> binary.name() + "=" + binary.version())
          .sorted()
          .toList();
      System.out.println("trixie " + architecture + " " + String.join(" ", requests) + ": " + ours.size()
          + " packages, apt " + expected.size() + (resolution.warnings().isEmpty() ? "" : "; " + resolution.warnings()));
      if (!expected.equals(ours)) {
        List<String> onlyApt = new ArrayList<>(expected);
        onlyApt.removeAll(ours);
        List<String> onlyOurs = new ArrayList<>(ours);
        onlyOurs.removeAll(expected);
        differences.add(String.join(" ", requests) + ": only apt " + onlyApt + ", only debimage " + onlyOurs);
      }
    }
    assertEquals(List.of(), differences, "trixie " + architecture + " package sets that differ from apt");
  }

  /** Returns the first URI of the host's apt sources whose path ends with {@code suffix}. */
  private static Optional<URI> hostMirror(String suffix) {
    List<SourceSpec> host;
    try {
      host = HostAptSources.readHost();
    } catch (ImageBuildException e) {
      return Optional.empty();
    }
    for (SourceSpec source : host) {
      for (URI uri : source.uris()) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        if (path.endsWith(suffix) && uri.getScheme().startsWith("http")) {
          return Optional.of(uri);
        }
      }
    }
    return Optional.empty();
  }
}
