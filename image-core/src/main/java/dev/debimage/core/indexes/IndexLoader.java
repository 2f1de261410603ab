package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.sources.ReleaseFile;
import dev.debimage.core.sources.SignatureVerifier;
import dev.debimage.core.spec.SourceSpec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads the Packages indexes of every configured source: fetches each suite's Release file,
 * verifies its signature, then fetches the indexes it lists and checks them by SHA256.
 */
public final class IndexLoader {

  /** Index compressions in order of preference, with the suffix the archive uses. */
  private static final List<String> INDEX_SUFFIXES = List.of(".xz", ".gz", "");

  private final DownloadCache cache;
  private final BuildListener listener;

  public IndexLoader(DownloadCache cache, BuildListener listener) {
    this.cache = cache;
    this.listener = listener;
  }

  /** A verified suite: its source, archive root, name and Release file. */
  public record Suite(SourceSpec source, URI archiveRoot, String name, ReleaseFile release) {}

  /** Every package stanza of the configured sources for one architecture. */
  public record Universe(List<Suite> suites, List<BinaryPackage> packages) {}

  /** Loads the indexes of every source for {@code architecture} (its own packages and {@code all}). */
  public Universe load(List<SourceSpec> sources, String architecture) {
    List<Suite> suites = new ArrayList<>();
    List<BinaryPackage> packages = new ArrayList<>();
    for (SourceSpec source : sources) {
      Keyring keyring = Keyring.forSource(source);
      for (URI uri : source.uris()) {
        for (String suiteName : source.suites()) {
          Suite suite = loadRelease(source, uri, suiteName, keyring);
          suites.add(suite);
          for (String component : source.components()) {
            for (String indexArchitecture : indexArchitectures(suite, architecture)) {
              readIndex(suite, component, indexArchitecture, architecture, packages);
            }
          }
        }
      }
    }
    return new Universe(List.copyOf(suites), packages);
  }

  private Suite loadRelease(SourceSpec source, URI uri, String suiteName, Keyring keyring) {
    URI dists = resolve(uri, "dists/" + suiteName + "/");
    URI inReleaseUri = dists.resolve("InRelease");
    Optional<Path> inRelease = cache.fetchRelease(inReleaseUri);
    String signedText;
    String location;
    if (inRelease.isPresent()) {
      location = inReleaseUri.toString();
      signedText = SignatureVerifier.verifyClearsigned(read(inRelease.get()), keyring, location);
    } else {
      URI releaseUri = dists.resolve("Release");
      URI signatureUri = dists.resolve("Release.gpg");
      Optional<Path> release = cache.fetchRelease(releaseUri);
      if (release.isEmpty()) {
        throw new ImageBuildException(
            "suite '" + suiteName + "' not found at " + dists + " (neither InRelease nor Release"
                + " exists), configured in " + source.origin()
                + ". Check the URI and the suite name, for example bookworm or noble-updates");
      }
      Optional<Path> signature = cache.fetchRelease(signatureUri);
      if (signature.isEmpty()) {
        throw new ImageBuildException(
            "missing signature for " + releaseUri + ": the archive has no InRelease and no"
                + " Release.gpg, so its packages cannot be verified");
      }
      location = releaseUri.toString();
      byte[] releaseBytes = read(release.get());
      SignatureVerifier.verifyDetached(releaseBytes, read(signature.get()), keyring, location);
      signedText = new String(releaseBytes, StandardCharsets.UTF_8);
    }
    ReleaseFile releaseFile = ReleaseFile.parse(signedText, location);
    releaseFile.checkSuite(suiteName, location);
    releaseFile.checkDates(Instant.now(), location);
    listener.info(
        "Verified " + location + " (" + releaseFile.date().map(Instant::toString).orElse("no date") + ")");
    return new Suite(source, uri, suiteName, releaseFile);
  }

  private static List<String> indexArchitectures(Suite suite, String architecture) {
    List<String> offered = suite.release().architectures();
    if (!offered.isEmpty() && !offered.contains(architecture)) {
      throw new ImageBuildException(
          "architecture '" + architecture + "' is not in suite " + suite.name() + " at "
              + suite.archiveRoot() + "; the archive offers: " + String.join(" ", offered));
    }
    if (offered.contains("all") && !suite.release().noSupportForArchitectureAll()) {
      return List.of(architecture, "all");
    }
    return List.of(architecture);
  }

  private void readIndex(
      Suite suite, String component, String indexArchitecture, String architecture, List<BinaryPackage> sink) {
    ReleaseFile release = suite.release();
    String base = component + "/binary-" + indexArchitecture + "/Packages";
    for (String suffix : INDEX_SUFFIXES) {
      Optional<ReleaseFile.IndexFile> entry = release.sha256(base + suffix);
      if (entry.isEmpty()) {
        continue;
      }
      URI dists = resolve(suite.archiveRoot(), "dists/" + suite.name() + "/");
      String directory = component + "/binary-" + indexArchitecture + "/";
      URI indexUri =
          release.acquireByHash()
              ? dists.resolve(directory + "by-hash/SHA256/" + entry.get().sha256())
              : dists.resolve(base + suffix);
      DownloadCache.CachedFile file = cache.fetch(indexUri, entry.get().sha256(), entry.get().size());
      int before = sink.size();
      parse(file.path(), suffix, suite, component, architecture, sink);
      listener.debug(
          "read " + (sink.size() - before) + " stanzas from " + indexUri + " (" + file.origin() + ")");
      return;
    }
    // The Components field is not checked on its own: security archives list "updates/main" there
    // while their indexes live under "main/", and apt goes by the files the Release file lists.
    throw new ImageBuildException(
        "no Packages index for component '" + component + "', architecture '" + indexArchitecture
            + "' in suite " + suite.name() + " at " + suite.archiveRoot()
            + "; the Release file lists components: " + String.join(" ", release.components())
            + " and architectures: " + String.join(" ", release.architectures())
            + ". Fix <components> of the source configured in " + suite.source().origin());
  }

  private static void parse(
      Path index, String suffix, Suite suite, String component, String architecture, List<BinaryPackage> sink) {
    String where = suite.archiveRoot() + " " + suite.name() + "/" + component;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(index), 1 << 16);
        InputStream in = decompress(raw, suffix);
        InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      Deb822.parse(reader, where, stanza -> {
        String packageArchitecture = stanza.get("Architecture", "");
        if (packageArchitecture.equals(architecture) || packageArchitecture.equals("all")) {
          sink.add(toPackage(stanza, suite, component, where));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read the index " + index + " of " + where, e);
    }
  }

  private static BinaryPackage toPackage(Stanza stanza, Suite suite, String component, String where) {
    String name = stanza.require("Package", where);
    String context = where + " (package " + name + ")";
    String size = stanza.require("Size", context);
    try {
      return new BinaryPackage(
          name,
          stanza.require("Version", context),
          stanza.require("Architecture", context),
          stanza,
          stanza.require("Filename", context),
          Long.parseLong(size),
          stanza.require("SHA256", context).toLowerCase(java.util.Locale.ROOT),
          suite.archiveRoot(),
          suite.name(),
          component);
    } catch (NumberFormatException e) {
      throw new ImageBuildException("invalid Size '" + size + "' in " + context);
    }
  }

  private static InputStream decompress(InputStream raw, String suffix) throws IOException {
    return switch (suffix) {
      case ".xz" -> new XZCompressorInputStream(raw);
      case ".gz" -> new GzipCompressorInputStream(raw, true);
      default -> raw;
    };
  }

  private static URI resolve(URI root, String relative) {
    String text = root.toString();
    return URI.create(text.endsWith("/") ? text : text + "/").resolve(relative);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read " + file, e);
    }
  }
}
