package dev.debimage.core.testarchive;

import dev.debimage.core.assembly.DebBuilder;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.sources.Clearsign;
import dev.debimage.core.sources.TestKey;
import dev.debimage.core.spec.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * A complete small Debian archive written to a directory for tests: .deb files under {@code
 * pool/}, a Packages index with its {@code .xz} form, a Release file that lists their SHA256, the
 * clearsigned InRelease and the detached Release.gpg. A flat archive keeps the Release files and
 * the index in its root directory instead of {@code dists/SUITE/main/binary-ARCH/}.
 */
public final class TestArchive {

  public static final String COMPONENT = "main";
  public static final String ARCHITECTURE = "amd64";

  private static final DateTimeFormatter RELEASE_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Path root;
  private final Builder settings;
  private final Map<String, Path> debs;

  private TestArchive(Path root, Builder settings, Map<String, Path> debs) {
    this.root = root;
    this.settings = settings;
    this.debs = debs;
  }

  /** Starts an archive signed by {@code signingKey}, with suite {@code stable}, codename {@code bookworm}. */
  public static Builder builder(TestKey signingKey) {
    return new Builder(signingKey);
  }

  /**
   * Returns four packages: {@code hello} depends on {@code libgreet (>= 1.0)} and {@code
   * greet-data}, which has architecture {@code all}; {@code unrelated} is not needed by them.
   */
  public static List<DebBuilder> samplePackages() {
    return List.of(
        new DebBuilder("hello", "2.10-3", ARCHITECTURE)
            .field("Depends", "libgreet (>= 1.0), greet-data")
            .dir("./usr/", 0755).dir("./usr/bin/", 0755)
            .file("./usr/bin/hello", "#!/bin/sh\necho hello\n", 0755),
        new DebBuilder("libgreet", "1.2-1", ARCHITECTURE).field("Multi-Arch", "same")
            .dir("./usr/", 0755).dir("./usr/lib/", 0755)
            .file("./usr/lib/libgreet.so.1", "library", 0644),
        new DebBuilder("greet-data", "1.2-1", "all")
            .dir("./usr/", 0755).dir("./usr/share/", 0755).dir("./usr/share/greet/", 0755)
            .file("./usr/share/greet/greeting", "hello\n", 0644),
        new DebBuilder("unrelated", "1.0-1", ARCHITECTURE)
            .dir("./etc/", 0755).file("./etc/unrelated.conf", "x=1\n", 0644));
  }

  /** Returns the archive's root directory. */
  public Path root() {
    return root;
  }

  /** Returns the suite name a source uses: the suite, or {@code ./} for a flat archive. */
  public String suite() {
    return settings.flat ? "./" : settings.suite;
  }

  /** Returns the directory of the Release files: {@code dists/SUITE/}, or the root when flat. */
  public Path releaseDirectory() {
    return settings.flat ? root : root.resolve("dists").resolve(settings.suite);
  }

  public Path inRelease() {
    return releaseDirectory().resolve("InRelease");
  }

  public Path release() {
    return releaseDirectory().resolve("Release");
  }

  public Path releaseSignature() {
    return releaseDirectory().resolve("Release.gpg");
  }

  /** Returns the Packages index, uncompressed for suffix "", or its {@code .xz} form. */
  public Path packagesIndex(String suffix) {
    return releaseDirectory().resolve(indexDirectory() + "Packages" + suffix);
  }

  /** Returns the .deb of a package by name. */
  public Path deb(String name) {
    Path deb = debs.get(name);
    if (deb == null) {
      throw new IllegalArgumentException("no package " + name + " in the test archive");
    }
    return deb;
  }

  /** Returns a source for this archive served at {@code uri} that trusts {@code trusted}, armored. */
  public SourceSpec source(URI uri, TestKey trusted) {
    List<String> components = settings.flat ? List.of() : List.of(COMPONENT);
    return new SourceSpec(
        List.of(uri), List.of(suite()), components, List.of(), Optional.of(trusted.publicArmored()),
        "the test archive");
  }

  /** Rewrites the Release file, InRelease and Release.gpg from the indexes now on disk. */
  public void sign() throws IOException {
    String text = releaseText();
    Files.writeString(release(), text, StandardCharsets.UTF_8);
    try {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      PGPSignature detached =
          settings.signingKey.sign(bytes, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256);
      Files.write(releaseSignature(), Clearsign.encode(List.of(detached), true));
      if (settings.inRelease) {
        Files.write(inRelease(), settings.signingKey.clearsign(text));
      } else {
        Files.deleteIfExists(inRelease());
      }
    } catch (org.bouncycastle.openpgp.PGPException e) {
      throw new IOException("failed to sign the test Release file", e);
    }
  }

  private String indexDirectory() {
    return settings.flat ? "" : COMPONENT + "/binary-" + settings.architecture + "/";
  }

  private String releaseText() throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("Origin: Test\nLabel: Test\n");
    if (!settings.flat) {
      text.append("Suite: ").append(settings.suite).append('\n');
      text.append("Codename: ").append(settings.codename).append('\n');
    }
    text.append("Date: ").append(RELEASE_DATE.format(settings.date)).append('\n');
    settings.validUntil.ifPresent(
        instant -> text.append("Valid-Until: ").append(RELEASE_DATE.format(instant)).append('\n'));
    text.append("Architectures: ").append(settings.architecture).append('\n');
    if (!settings.flat) {
      text.append("Components: ").append(COMPONENT).append('\n');
    }
    text.append("Description: hermetic test archive\n");
    text.append("SHA256:\n");
    for (String suffix : List.of("", ".xz")) {
      Path index = packagesIndex(suffix);
      text.append(' ').append(Sha256.hex(index)).append(' ').append(Files.size(index)).append(' ')
          .append(indexDirectory()).append("Packages").append(suffix).append('\n');
    }
    return text.toString();
  }

  /** Settings of a test archive. */
  public static final class Builder {
    private final TestKey signingKey;
    private final List<DebBuilder> packages = new ArrayList<>();
    private String suite = "stable";
    private String codename = "bookworm";
    private Instant date = Instant.now().minus(Duration.ofHours(1));
    private Optional<Instant> validUntil = Optional.of(Instant.now().plus(Duration.ofDays(7)));
    private boolean flat;
    private boolean inRelease = true;
    private String architecture = ARCHITECTURE;

    private Builder(TestKey signingKey) {
      this.signingKey = signingKey;
    }

    public Builder suite(String suite, String codename) {
      this.suite = suite;
      this.codename = codename;
      return this;
    }

    public Builder date(Instant date) {
      this.date = date;
      return this;
    }

    /** Sets {@code Valid-Until}; empty leaves the field out. */
    public Builder validUntil(Optional<Instant> validUntil) {
      this.validUntil = validUntil;
      return this;
    }

    /** Lays the archive out as a flat repository, with {@code Filename: ./pool/NAME.deb}. */
    public Builder flat() {
      this.flat = true;
      return this;
    }

    /**
     * Sets the one architecture that the Release file lists and whose index directory holds the
     * packages; the default is {@link #ARCHITECTURE}.
     */
    public Builder architecture(String architecture) {
      this.architecture = architecture;
      return this;
    }

    /** Leaves out InRelease, so clients read Release and Release.gpg. */
    public Builder withoutInRelease() {
      this.inRelease = false;
      return this;
    }

    public Builder add(DebBuilder deb) {
      packages.add(deb);
      return this;
    }

    public Builder addAll(List<DebBuilder> debs) {
      packages.addAll(debs);
      return this;
    }

    /** Writes the archive into {@code root}, which must be empty or absent. */
    public TestArchive write(Path root) throws IOException {
      Path pool = root.resolve("pool").resolve(COMPONENT);
      Files.createDirectories(pool);
      Map<String, Path> debs = new LinkedHashMap<>();
      StringBuilder index = new StringBuilder();
      for (DebBuilder builder : packages) {
        Path deb = builder.write(pool);
        Stanza control = builder.control();
        debs.put(control.require("Package", "test package"), deb);
        String filename = (flat ? "./" : "") + root.relativize(deb).toString().replace('\\', '/');
        Stanza stanza = control
            .with("Filename", filename)
            .with("Size", Long.toString(Files.size(deb)))
            .with("SHA256", Sha256.hex(deb));
        if (index.length() > 0) {
          index.append('\n');
        }
        index.append(stanza.format());
      }
      TestArchive archive = new TestArchive(root, this, debs);
      Path packagesFile = archive.packagesIndex("");
      Files.createDirectories(packagesFile.getParent());
      byte[] text = index.toString().getBytes(StandardCharsets.UTF_8);
      Files.write(packagesFile, text);
      Files.write(archive.packagesIndex(".xz"), xz(text));
      archive.sign();
      return archive;
    }

    private static byte[] xz(byte[] data) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream out = new XZCompressorOutputStream(bytes)) {
        out.write(data);
      }
      return bytes.toByteArray();
    }
  }
}
