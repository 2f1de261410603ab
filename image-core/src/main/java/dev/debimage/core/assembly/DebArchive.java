package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.fetch.DownloadCache;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * A binary package file (deb(5) format 2.0): its control members, and its data tar decompressed
 * once into a cache directory so that later builds and the layer writer read file content by
 * offset.
 */
public final class DebArchive {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> MAINTAINER_SCRIPTS =
      Set.of("preinst", "postinst", "prerm", "postrm", "config");
  /** Control members besides scripts that dpkg keeps under {@code var/lib/dpkg/info}. */
  private static final Set<String> KEPT_CONTROL_MEMBERS =
      Set.of("shlibs", "symbols", "templates", "triggers");

  /** Maximum decompressed size of a control.tar member in bytes. Real ones have a few hundred KiB. */
  static final long MAX_CONTROL_TAR_BYTES = 64L << 20;
  /** Maximum decompressed size of a data.tar member in bytes, whatever its Installed-Size states. */
  static final long MAX_DATA_TAR_BYTES = 16L << 30;
  /** Room above twice the Installed-Size for the tar archive's end blocks and record padding. */
  private static final long DATA_TAR_SLACK_BYTES = 1L << 20;

  private final Path deb;
  private final Stanza control;
  private final String md5sums;
  private final List<String> conffiles;
  private final List<String> maintainerScripts;
  private final Map<String, String> scriptTexts;
  private final Path dataTar;

  private DebArchive(
      Path deb,
      Stanza control,
      String md5sums,
      List<String> conffiles,
      Map<String, String> scriptTexts,
      Path dataTar) {
    this.deb = deb;
    this.control = control;
    this.md5sums = md5sums;
    this.conffiles = conffiles;
    this.maintainerScripts = scriptTexts.keySet().stream()
        .filter(MAINTAINER_SCRIPTS::contains).sorted().toList();
    this.scriptTexts = Map.copyOf(scriptTexts);
    this.dataTar = dataTar;
  }

  /**
   * Reads the control members of {@code deb} and finds or creates its uncompressed data tar in
   * {@code extractedDataCacheDir}, named after {@code sha256}. The caller has verified that the
   * file hashes to {@code sha256}; the cache trusts that name and never decompresses a data
   * member twice.
   */
  public static DebArchive open(Path deb, Path extractedDataCacheDir, String sha256) {
    if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
      throw new ImageBuildException(
          "invalid SHA256 '" + sha256 + "' for " + deb + ": expected 64 lower-case hex digits");
    }
    Path cached = extractedDataCacheDir.resolve(sha256 + ".tar");
    try {
      Files.createDirectories(extractedDataCacheDir);
      return read(deb, cached);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read package file " + deb + ": " + e.getMessage(), e);
    }
  }

  private static DebArchive read(Path deb, Path cached) throws IOException {
    Stanza control = null;
    String md5sums = "";
    List<String> conffiles = List.of();
    Map<String, String> scripts = Map.of();
    boolean sawVersion = false;
    boolean sawData = false;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(deb), 1 << 16);
        ArArchiveInputStream ar = new ArArchiveInputStream(file)) {
      ArArchiveEntry member;
      while ((member = ar.getNextEntry()) != null) {
        String name = member.getName();
        if (!sawVersion) {
          if (!name.equals("debian-binary")) {
            throw invalid(deb, "first member is '" + name + "', expected 'debian-binary'");
          }
          String version = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
          if (!version.equals("2.0")) {
            throw invalid(deb, "format version is '" + version + "', only 2.0 is supported");
          }
          sawVersion = true;
        } else if (name.startsWith("control.tar")) {
          ControlMembers members = readControl(deb, name, ar);
          control = members.control;
          md5sums = members.md5sums;
          conffiles = members.conffiles;
          scripts = members.scripts;
        } else if (name.startsWith("data.tar")) {
          if (control == null) {
            throw invalid(deb, "member '" + name + "' comes before the control member");
          }
          if (!Files.isRegularFile(cached)) {
            extractData(deb, name, ar, cached, dataTarLimit(deb, control));
          }
          sawData = true;
          break;
        } else if (!name.startsWith("_")) {
          throw invalid(deb, "unexpected member '" + name + "'");
        }
      }
    }
    if (!sawVersion) {
      throw invalid(deb, "the file is empty or not an ar archive");
    }
    if (control == null) {
      throw invalid(deb, "no control.tar member");
    }
    if (!sawData) {
      throw invalid(deb, "no data.tar member");
    }
    return new DebArchive(deb, control, md5sums, conffiles, scripts, cached);
  }

  private record ControlMembers(
      Stanza control, String md5sums, List<String> conffiles, Map<String, String> scripts) {}

  private static ControlMembers readControl(Path deb, String memberName, InputStream member)
      throws IOException {
    Stanza control = null;
    String md5sums = "";
    List<String> conffiles = new ArrayList<>();
    Map<String, String> scripts = new TreeMap<>();
    InputStream limited = new LimitedInputStream(
        decompress(deb, memberName, "control.tar", nonClosing(member)), MAX_CONTROL_TAR_BYTES,
        deb, memberName);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(limited)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
        String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        switch (name) {
          case "control":
            List<Stanza> stanzas = Deb822.parse(text, deb + " (control)");
            if (stanzas.size() != 1) {
              throw invalid(deb, "control file has " + stanzas.size() + " stanzas, expected 1");
            }
            control = stanzas.get(0);
            break;
          case "md5sums":
            md5sums = text;
            break;
          case "conffiles":
            text.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(conffiles::add);
            break;
          default:
            if (MAINTAINER_SCRIPTS.contains(name) || KEPT_CONTROL_MEMBERS.contains(name)) {
              scripts.put(name, text);
            }
        }
      }
    }
    if (control == null) {
      throw invalid(deb, "member " + memberName + " has no control file");
    }
    return new ControlMembers(control, md5sums, List.copyOf(conffiles), scripts);
  }

  /**
   * Returns the most bytes the data member may decompress to: twice the {@code Installed-Size}
   * plus room for tar headers, at most {@link #MAX_DATA_TAR_BYTES}. A tar archive stores each file
   * in 512-byte blocks after a 512-byte header, while {@code Installed-Size} counts each file in
   * whole KiB, so a real package stays far below this bound.
   */
  static long dataTarLimit(Path deb, Stanza control) {
    String installedSize = control.get("Installed-Size", "").strip();
    if (installedSize.isEmpty()) {
      return MAX_DATA_TAR_BYTES;
    }
    long kibibytes;
    try {
      kibibytes = Long.parseLong(installedSize);
    } catch (NumberFormatException e) {
      throw invalid(deb, "Installed-Size '" + installedSize + "' is not a number of KiB");
    }
    if (kibibytes < 0 || kibibytes > MAX_DATA_TAR_BYTES / 2048) {
      return MAX_DATA_TAR_BYTES;
    }
    return Math.min(MAX_DATA_TAR_BYTES, kibibytes * 2048 + DATA_TAR_SLACK_BYTES);
  }

  /** Writes the decompressed data member next to its final name, then renames it into place. */
  private static void extractData(
      Path deb, String memberName, InputStream member, Path cached, long limit)
      throws IOException {
    Path temp = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".part");
    try {
      try (InputStream data = new LimitedInputStream(
              decompress(deb, memberName, "data.tar", nonClosing(member)), limit, deb, memberName);
          OutputStream out = Files.newOutputStream(temp)) {
        data.transferTo(out);
      }
      DownloadCache.moveIntoPlace(temp, cached);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static InputStream decompress(Path deb, String memberName, String base, InputStream in)
      throws IOException {
    if (memberName.equals(base)) {
      return in;
    }
    switch (memberName.substring(base.length())) {
      case ".gz":
        return new GzipCompressorInputStream(in, true);
      case ".xz":
        return new XZCompressorInputStream(in, true);
      case ".zst":
        return new ZstdCompressorInputStream(in);
      case ".bz2":
        return new BZip2CompressorInputStream(in, true);
      default:
        throw invalid(
            deb,
            "member '" + memberName + "' uses an unsupported compression; supported are none, .gz,"
                + " .xz, .zst and .bz2");
    }
  }

  /** Keeps a member stream open when the decompressor or tar reader on top of it is closed. */
  private static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  /** Fails once a decompressed member grows beyond its limit, so that no archive expands without bound. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final Path deb;
    private final String memberName;
    private long count;

    LimitedInputStream(InputStream in, long limit, Path deb, String memberName) {
      super(in);
      this.limit = limit;
      this.deb = deb;
      this.memberName = memberName;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      add(skipped);
      return skipped;
    }

    private void add(long n) {
      count += n;
      if (count > limit) {
        throw new ImageBuildException(
            "rejected package file " + deb + ": member " + memberName + " decompresses to more"
                + " than " + limit + " bytes, which is more than its Installed-Size allows;"
                + " remove the package from the package list");
      }
    }
  }

  private static ImageBuildException invalid(Path deb, String problem) {
    return new ImageBuildException(
        "invalid package file " + deb + ": " + problem + "; delete it so that it is downloaded again");
  }

  /** Returns the path of the package file. */
  public Path deb() {
    return deb;
  }

  /** Returns the stanza of the package's {@code control} file. */
  public Stanza control() {
    return control;
  }

  /** Returns the package's {@code md5sums} file, or an empty string when it has none. */
  public String md5sums() {
    return md5sums;
  }

  /** Returns the absolute paths listed in the package's {@code conffiles} file. */
  public List<String> conffiles() {
    return conffiles;
  }

  /** Returns the names of the maintainer scripts the package has, sorted. */
  public List<String> maintainerScripts() {
    return maintainerScripts;
  }

  /** Returns the text of a maintainer script such as {@code postinst}, empty when the package has none. */
  public Optional<String> maintainerScript(String name) {
    return MAINTAINER_SCRIPTS.contains(name) ? Optional.ofNullable(scriptTexts.get(name))
        : Optional.empty();
  }

  /**
   * Returns the control members that dpkg keeps in its database besides {@code md5sums} and
   * {@code conffiles}: the maintainer scripts and {@code shlibs}, {@code symbols},
   * {@code templates} and {@code triggers}, by name.
   */
  public Map<String, String> keptControlMembers() {
    return new TreeMap<>(scriptTexts);
  }

  /** Returns the uncompressed data tar in the cache directory. */
  public Path dataTar() {
    return dataTar;
  }

  /**
   * Lists the members of the data tar in archive order, reading only their headers.
   */
  public List<TarEntryRef> entries() {
    List<TarEntryRef> refs = new ArrayList<>();
    try (TarFile tar = new TarFile(dataTar)) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        refs.add(toRef(entry));
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read the data tar " + dataTar + " of " + deb + ": " + e.getMessage()
              + "; delete the file so that it is extracted again",
          e);
    }
    return refs;
  }

  private TarEntryRef toRef(TarArchiveEntry entry) {
    TarEntryRef.Kind kind;
    if (entry.isDirectory()) {
      kind = TarEntryRef.Kind.DIRECTORY;
    } else if (entry.isSymbolicLink()) {
      kind = TarEntryRef.Kind.SYMLINK;
    } else if (entry.isLink()) {
      kind = TarEntryRef.Kind.HARDLINK;
    } else if (entry.isCharacterDevice()) {
      kind = TarEntryRef.Kind.CHARACTER_DEVICE;
    } else if (entry.isBlockDevice()) {
      kind = TarEntryRef.Kind.BLOCK_DEVICE;
    } else if (entry.isFIFO()) {
      kind = TarEntryRef.Kind.FIFO;
    } else if (entry.isFile() && !entry.isSparse()) {
      kind = TarEntryRef.Kind.REGULAR;
    } else {
      kind = TarEntryRef.Kind.OTHER;
    }
    boolean hasContent = kind == TarEntryRef.Kind.REGULAR;
    return new TarEntryRef(
        entry.getName(),
        kind,
        entry.getMode() & 07777,
        entry.getLongUserId(),
        entry.getLongGroupId(),
        Instant.ofEpochSecond(entry.getLastModifiedTime().toInstant().getEpochSecond()),
        entry.getLinkName() == null ? "" : entry.getLinkName(),
        dataTar,
        hasContent ? entry.getDataOffset() : 0,
        hasContent ? entry.getSize() : 0);
  }

  @Override
  public String toString() {
    return deb.toString();
  }
}
