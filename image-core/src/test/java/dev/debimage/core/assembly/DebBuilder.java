package dev.debimage.core.assembly;

import com.github.luben.zstd.ZstdOutputStream;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import dev.debimage.core.indexes.BinaryPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Builds small .deb files for tests, member by member, with a chosen compression. */
public final class DebBuilder {

  /** A time before any build timestamp the tests use. */
  public static final Instant PACKAGE_TIME = Instant.parse("2024-01-02T03:04:05Z");

  private final Map<String, String> control = new LinkedHashMap<>();
  private final List<TarArchiveEntry> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();
  private final Map<String, String> controlFiles = new LinkedHashMap<>();
  private String dataCompression = ".xz";
  private String controlCompression = ".gz";
  private String formatVersion = "2.0\n";

  public DebBuilder(String name, String version, String architecture) {
    control.put("Package", name);
    control.put("Version", version);
    control.put("Architecture", architecture);
    control.put("Maintainer", "Test Maintainer <test@example.org>");
    control.put("Description", "test package " + name + "\n A package built by a unit test.");
  }

  public DebBuilder field(String name, String value) {
    control.put(name, value);
    return this;
  }

  /** Sets the data member's suffix: "", ".gz", ".xz", ".zst", or anything else to test rejection. */
  public DebBuilder dataCompression(String suffix) {
    this.dataCompression = suffix;
    return this;
  }

  public DebBuilder controlCompression(String suffix) {
    this.controlCompression = suffix;
    return this;
  }

  public DebBuilder formatVersion(String text) {
    this.formatVersion = text;
    return this;
  }

  public DebBuilder controlFile(String name, String text) {
    controlFiles.put(name, text);
    return this;
  }

  public DebBuilder dir(String name, int mode) {
    return add(name, TarConstants.LF_DIR, mode, null, new byte[0]);
  }

  public DebBuilder file(String name, String text, int mode) {
    return add(name, TarConstants.LF_NORMAL, mode, null, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a regular file with binary content. */
  public DebBuilder file(String name, byte[] content, int mode) {
    return add(name, TarConstants.LF_NORMAL, mode, null, content.clone());
  }

  public DebBuilder symlink(String name, String target) {
    return add(name, TarConstants.LF_SYMLINK, 0777, target, new byte[0]);
  }

  public DebBuilder hardlink(String name, String target) {
    return add(name, TarConstants.LF_LINK, 0644, target, new byte[0]);
  }

  public DebBuilder characterDevice(String name) {
    return add(name, TarConstants.LF_CHR, 0666, null, new byte[0]);
  }

  public DebBuilder fifo(String name) {
    return add(name, TarConstants.LF_FIFO, 0644, null, new byte[0]);
  }

  /** Adds a member with an explicit modification time. */
  public DebBuilder fileAt(String name, String text, int mode, Instant mtime) {
    file(name, text, mode);
    entries.get(entries.size() - 1).setModTime(mtime.toEpochMilli());
    return this;
  }

  private DebBuilder add(String name, byte type, int mode, String link, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
    entry.setMode(mode);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("root");
    entry.setGroupName("root");
    entry.setModTime(PACKAGE_TIME.toEpochMilli());
    if (link != null) {
      entry.setLinkName(link);
    }
    entry.setSize(content.length);
    entries.add(entry);
    contents.add(content);
    return this;
  }

  /** Returns the control stanza the package carries. */
  public Stanza control() {
    StringBuilder text = new StringBuilder();
    control.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
    return Deb822.parse(text.toString(), "test").get(0);
  }

  /** Writes the package file into {@code dir} and returns its path. */
  public Path write(Path dir) throws IOException {
    Path deb = dir.resolve(control.get("Package") + "_" + control.get("Version") + "_"
        + control.get("Architecture") + ".deb");
    try (OutputStream file = Files.newOutputStream(deb);
        ArArchiveOutputStream ar = new ArArchiveOutputStream(file)) {
      writeMember(ar, "debian-binary", formatVersion.getBytes(StandardCharsets.US_ASCII));
      writeMember(ar, "control.tar" + controlCompression,
          compress(controlTar(), controlCompression));
      writeMember(ar, "data.tar" + dataCompression, compress(dataTar(), dataCompression));
    }
    return deb;
  }

  /** Writes the package file and returns it with a BinaryPackage that describes it. */
  public AssemblyInput writeInput(Path dir) throws IOException {
    Path deb = write(dir);
    return new AssemblyInput(binaryPackage(deb), deb);
  }

  public BinaryPackage binaryPackage(Path deb) throws IOException {
    return new BinaryPackage(control.get("Package"), control.get("Version"),
        control.get("Architecture"), control(), "pool/main/" + deb.getFileName(),
        Files.size(deb), sha256(deb), URI.create("http://127.0.0.1/debian"), "stable", "main");
  }

  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] controlTar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.putArchiveEntry(new TarArchiveEntry("./", TarConstants.LF_DIR, true));
      tar.closeArchiveEntry();
      Map<String, String> files = new LinkedHashMap<>();
      files.put("control", control().format());
      files.putAll(controlFiles);
      for (Map.Entry<String, String> file : files.entrySet()) {
        byte[] data = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry("./" + file.getKey(), TarConstants.LF_NORMAL, true);
        entry.setSize(data.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private byte[] dataTar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.putArchiveEntry(new TarArchiveEntry("./", TarConstants.LF_DIR, true));
      tar.closeArchiveEntry();
      for (int i = 0; i < entries.size(); i++) {
        tar.putArchiveEntry(entries.get(i));
        tar.write(contents.get(i));
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] compress(byte[] data, String suffix) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out;
    switch (suffix) {
      case ".gz":
        out = new GZIPOutputStream(bytes);
        break;
      case ".xz":
        out = new XZCompressorOutputStream(bytes);
        break;
      case ".zst":
        out = new ZstdOutputStream(bytes);
        break;
      default:
        out = bytes;
    }
    try (out) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static void writeMember(ArArchiveOutputStream ar, String name, byte[] data)
      throws IOException {
    ArArchiveEntry entry = new ArArchiveEntry(name, data.length, 0, 0, 0100644, 0);
    ar.putArchiveEntry(entry);
    ar.write(data);
    ar.closeArchiveEntry();
  }
}
