package dev.debimage.core.lock;

import dev.debimage.core.fetch.CacheRecord;
import dev.debimage.core.fetch.CodeFingerprint;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.report.Distribution;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps lockfiles that were read and validated before, in a compact binary form keyed by the
 * SHA-256 of their text and of the library's code. In a fresh Maven process, reading the sample's
 * lockfile with Jackson's object mapper took 0.13 to 0.18 s, most of it spent loading the mapper's
 * classes, and a rebuild's target is 0.5 s in all.
 */
public final class LockfileCache {

  private static final String MAGIC = "debimage lockfile 1";

  private LockfileCache() {}

  /**
   * Returns the lockfile in {@code file}: from {@code directory} when the same text was read
   * before by the same code, or else parsed and validated as {@link PlatformLockfiles#read} does
   * and then stored there. An invalid lockfile is never stored, so it fails every time.
   *
   * @throws dev.debimage.core.ImageBuildException when the file cannot be read or is invalid
   */
  public static PlatformLockfiles read(Path file, Path directory) {
    String text = LockfileFormat.readText(file);
    if (CodeFingerprint.get().isEmpty()) {
      return PlatformLockfiles.parse(text, file.toString());
    }
    String key = Sha256.hex((MAGIC + "\n" + CodeFingerprint.get().get() + "\n" + text).getBytes(StandardCharsets.UTF_8));
    Path record = directory.resolve(key + ".bin");
    Optional<PlatformLockfiles> cached = CacheRecord.read(record, key).flatMap(LockfileCache::decode);
    if (cached.isPresent()) {
      return cached.get();
    }
    PlatformLockfiles locks = PlatformLockfiles.parse(text, file.toString());
    CacheRecord.write(record, key, encode(locks));
    return locks;
  }

  static byte[] encode(PlatformLockfiles locks) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(MAGIC);
      out.writeInt(locks.locks().size());
      for (Lockfile lock : locks.locks()) {
        out.writeUTF(lock.inputsDigest());
        out.writeUTF(lock.architecture());
        out.writeUTF(lock.distribution().namespace());
        out.writeUTF(lock.distribution().distro());
        out.writeInt(lock.suites().size());
        for (LockedSuite suite : lock.suites()) {
          out.writeUTF(suite.uri().toString());
          out.writeUTF(suite.suite());
          out.writeBoolean(suite.date().isPresent());
          if (suite.date().isPresent()) {
            out.writeLong(suite.date().get().getEpochSecond());
            out.writeInt(suite.date().get().getNano());
          }
        }
        out.writeInt(lock.packages().size());
        for (LockedPackage pkg : lock.packages()) {
          for (String field : List.of(pkg.name(), pkg.version(), pkg.architecture(), pkg.sha256())) {
            out.writeUTF(field);
          }
          out.writeLong(pkg.size());
          for (String field : List.of(pkg.source(), pkg.sourceVersion(), pkg.suite(), pkg.component(),
              pkg.archiveRoot().toString(), pkg.filename(), pkg.reason())) {
            out.writeUTF(field);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Returns the lockfiles of a record's body, or empty when it is not one that {@link #encode} wrote. */
  static Optional<PlatformLockfiles> decode(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (!MAGIC.equals(in.readUTF())) {
        return Optional.empty();
      }
      int lockCount = in.readInt();
      List<Lockfile> locks = new ArrayList<>();
      for (int i = 0; i < lockCount; i++) {
        String inputsDigest = in.readUTF();
        String architecture = in.readUTF();
        Distribution distribution = new Distribution(in.readUTF(), in.readUTF());
        int suiteCount = in.readInt();
        List<LockedSuite> suites = new ArrayList<>();
        for (int j = 0; j < suiteCount; j++) {
          URI uri = new URI(in.readUTF());
          String suite = in.readUTF();
          Optional<Instant> date = in.readBoolean()
              ? Optional.of(Instant.ofEpochSecond(in.readLong(), in.readInt()))
              : Optional.empty();
          suites.add(new LockedSuite(uri, suite, date));
        }
        int packageCount = in.readInt();
        List<LockedPackage> packages = new ArrayList<>();
        for (int j = 0; j < packageCount; j++) {
          String name = in.readUTF();
          String version = in.readUTF();
          String packageArchitecture = in.readUTF();
          String sha256 = in.readUTF();
          long size = in.readLong();
          packages.add(new LockedPackage(name, version, packageArchitecture, sha256, size, in.readUTF(),
              in.readUTF(), in.readUTF(), in.readUTF(), new URI(in.readUTF()), in.readUTF(), in.readUTF()));
        }
        locks.add(new Lockfile(inputsDigest, architecture, suites, packages, distribution));
      }
      return in.available() == 0 ? Optional.of(new PlatformLockfiles(locks)) : Optional.empty();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
