package dev.debimage.core.sources;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.spec.SourceSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.util.encoders.Hex;

/** A set of OpenPGP public keys that signatures on Release files are checked against. */
public final class Keyring {

  /** The first line of an ASCII-armored key block, as apt accepts in {@code Signed-By}. */
  public static final String ARMORED_KEY_BLOCK_START = "-----BEGIN PGP PUBLIC KEY BLOCK-----";

  /** The {@code Signed-By} entry that names the bundled Debian archive keys. */
  public static final String BUNDLED_DEBIAN = "bundled:debian";

  /** The {@code Signed-By} entry that names the bundled Ubuntu archive keys. */
  public static final String BUNDLED_UBUNTU = "bundled:ubuntu";

  private static final String BUNDLED_PREFIX = "bundled:";

  private static final String DEBIAN_RESOURCE = "debian-archive-keyring.gpg";

  private static final String UBUNTU_RESOURCE = "ubuntu-archive-keyring.gpg";

  /**
   * Primary-key fingerprints of the bundled Debian resource, taken with {@code gpg --show-keys}
   * from debian-archive-keyring 2023.3+deb12u2. Loading fails unless the resource has exactly
   * these keys, so a changed resource cannot add trust silently.
   */
  static final List<String> DEBIAN_FINGERPRINTS =
      List.of(
          "1F89983E0081FDE018F3CC9673A4F27B8DD47936", // Archive Automatic Signing Key (11/bullseye)
          "AC530D520F2F3269F5E98313A48449044AAD5C5D", // Security Archive Automatic Signing Key (11/bullseye)
          "A4285295FC7B1A81600062A9605C66F00D6C9793", // Stable Release Key (11/bullseye)
          "4D64FEC119C2029067D6E791F8D2585B8783D481", // Stable Release Key (12/bookworm)
          "B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8", // Archive Automatic Signing Key (12/bookworm)
          "05AB90340C0C5E797F44A8C8254CF3B5AEC0A8F0", // Security Archive Automatic Signing Key (12/bookworm)
          "04B54C3CDCA79751B16BC6B5225629DF75B188BD", // Archive Automatic Signing Key (13/trixie)
          "5E04A1E3223A19A20706E20F9904613D4CCE68C6", // Security Archive Automatic Signing Key (13/trixie)
          "41587F7DB8C774BCCF131416762F67A0B2C39DE4"); // Stable Release Key (13/trixie)

  /**
   * Primary-key fingerprints of the bundled Ubuntu resource, taken with {@code gpg --show-keys}
   * from ubuntu-archive-keyring.gpg of the ubuntu-keyring package 2023.11.28.1-0.2 in Debian
   * trixie. ubuntu-archive-keyring.txt beside the resource records how that file was verified.
   */
  static final List<String> UBUNTU_FINGERPRINTS =
      List.of(
          "790BC7277767219C42C86F933B4FE6ACC0B21F32", // Archive Automatic Signing Key (2012)
          "843938DF228D22F7B3742BC0D94AA3F0EFE21092", // CD Image Automatic Signing Key (2012)
          "F6ECB3762474EDA9D21B7022871920D1991BC93C"); // Archive Automatic Signing Key (2018)

  private static Keyring bundledDebian;
  private static Keyring bundledUbuntu;
  private static Keyring bundled;

  private final PGPPublicKeyRingCollection keyRings;
  private final String description;

  private Keyring(PGPPublicKeyRingCollection keyRings, String description) {
    this.keyRings = keyRings;
    this.description = description;
  }

  /**
   * Loads a keyring file, binary or ASCII-armored (told apart by content), or every {@code *.gpg}
   * and {@code *.asc} file of a directory such as {@code /etc/apt/trusted.gpg.d}.
   */
  public static Keyring load(Path path) {
    if (Files.isDirectory(path)) {
      return loadDirectory(path);
    }
    return parse(readFile(path), path.toString());
  }

  /**
   * Parses binary or ASCII-armored keyring data; {@code description} names its source in
   * messages. Armored data may contain several key blocks one after another.
   */
  public static Keyring parse(byte[] data, String description) {
    Map<Long, PGPPublicKeyRing> rings = new LinkedHashMap<>();
    readKeyRings(data, description, rings);
    return build(rings, description);
  }

  /**
   * Returns the archive keys bundled with this library, Debian's and Ubuntu's together, after
   * checking their fingerprints against the ones pinned in the code. Sources without {@code
   * Signed-By} are checked against these keys, so Debian and Ubuntu sources work without
   * configuring keys.
   */
  public static synchronized Keyring bundled() {
    if (bundled == null) {
      Map<Long, PGPPublicKeyRing> rings = new LinkedHashMap<>(bundledDebian().ringsByKeyId());
      rings.putAll(bundledUbuntu().ringsByKeyId());
      bundled = build(rings, "the bundled Debian and Ubuntu archive keyrings ("
          + DEBIAN_RESOURCE + ", " + UBUNTU_RESOURCE + ")");
    }
    return bundled;
  }

  /** Returns the bundled Debian archive keys, after checking their pinned fingerprints. */
  public static synchronized Keyring bundledDebian() {
    if (bundledDebian == null) {
      bundledDebian = loadResource(DEBIAN_RESOURCE, "Debian", DEBIAN_FINGERPRINTS);
    }
    return bundledDebian;
  }

  /** Returns the bundled Ubuntu archive keys, after checking their pinned fingerprints. */
  public static synchronized Keyring bundledUbuntu() {
    if (bundledUbuntu == null) {
      bundledUbuntu = loadResource(UBUNTU_RESOURCE, "Ubuntu", UBUNTU_FINGERPRINTS);
    }
    return bundledUbuntu;
  }

  private static Keyring loadResource(String resource, String distribution, List<String> fingerprints) {
    String description = "the bundled " + distribution + " archive keyring (" + resource + ")";
    byte[] data;
    try (InputStream in = Keyring.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ImageBuildException(
            "missing resource " + resource + " next to " + Keyring.class.getName()
                + ": the image-core jar is incomplete, rebuild or reinstall it");
      }
      data = in.readAllBytes();
    } catch (IOException e) {
      throw new ImageBuildException("failed to read " + description + ": " + e.getMessage(), e);
    }
    return pinned(data, description, fingerprints);
  }

  /** Parses keyring data and fails unless its primary-key fingerprints are exactly {@code expected}. */
  static Keyring pinned(byte[] data, String description, List<String> expected) {
    return pinned(parse(data, description), expected);
  }

  private static Keyring pinned(Keyring keyring, List<String> expected) {
    if (!keyring.fingerprints().equals(expected)) {
      throw new ImageBuildException(
          keyring.description() + " has keys " + keyring.fingerprints() + " but the code expects "
              + expected + ": the resource was changed, rebuild image-core from a trusted checkout");
    }
    return keyring;
  }

  /**
   * Returns the keyring that a source names in {@code Signed-By}: an armored key block, or one or
   * more entries separated by commas or spaces, each a keyring path or {@link #BUNDLED_DEBIAN} or
   * {@link #BUNDLED_UBUNTU}. Without {@code Signed-By}, returns {@link #bundled()}.
   */
  public static Keyring forSource(SourceSpec source) {
    Optional<String> signedBy = source.signedBy().map(String::strip).filter(s -> !s.isEmpty());
    if (signedBy.isEmpty()) {
      return bundled();
    }
    String value = signedBy.get();
    if (value.startsWith(ARMORED_KEY_BLOCK_START)) {
      return parse(value.getBytes(StandardCharsets.US_ASCII), "the key block in Signed-By of " + source.origin());
    }
    Map<Long, PGPPublicKeyRing> rings = new LinkedHashMap<>();
    List<String> paths = new ArrayList<>();
    for (String entry : value.split("[,\\s]+")) {
      if (entry.matches("[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}!?")) {
        throw new ImageBuildException(
            "unsupported Signed-By entry '" + entry + "' in " + source.origin()
                + ": name a keyring file (such as /usr/share/keyrings/debian-archive-keyring.gpg)"
                + " or embed an armored key block instead of a key fingerprint");
      }
      if (entry.startsWith(BUNDLED_PREFIX)) {
        rings.putAll(bundledNamed(entry, source).ringsByKeyId());
        paths.add(entry);
        continue;
      }
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        rings.putAll(loadDirectory(path).ringsByKeyId());
      } else {
        readKeyRings(readFile(path), entry, rings);
      }
      paths.add(entry);
    }
    return build(rings, String.join(", ", paths) + " (Signed-By of " + source.origin() + ")");
  }

  private static Keyring bundledNamed(String entry, SourceSpec source) {
    switch (entry) {
      case BUNDLED_DEBIAN:
        return bundledDebian();
      case BUNDLED_UBUNTU:
        return bundledUbuntu();
      default:
        throw new ImageBuildException(
            "unknown bundled keyring '" + entry + "' in Signed-By of " + source.origin()
                + ": use " + BUNDLED_DEBIAN + " or " + BUNDLED_UBUNTU + ", or name a keyring file");
    }
  }

  /** Returns the fingerprints of the primary keys, upper-case hex, in keyring order. */
  public List<String> fingerprints() {
    List<String> fingerprints = new ArrayList<>();
    for (PGPPublicKeyRing ring : keyRings) {
      fingerprints.add(fingerprint(ring.getPublicKey()));
    }
    return List.copyOf(fingerprints);
  }

  /**
   * Returns the key rings in OpenPGP binary form, in keyring order, as a {@code .gpg} keyring file
   * stores them.
   */
  public byte[] encoded() {
    try {
      return keyRings.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to encode the keys of " + description, e);
    }
  }

  /** Returns where the keys came from: a path, several paths, or a resource. */
  public String description() {
    return description;
  }

  /** Returns the primary key or subkey with this key ID and the key ring it belongs to. */
  Optional<PGPPublicKeyRing> findRing(long keyId) {
    return Optional.ofNullable(keyRings.getPublicKeyRing(keyId));
  }

  @Override
  public String toString() {
    return description;
  }

  /** Formats a key's fingerprint as upper-case hex. */
  static String fingerprint(PGPPublicKey key) {
    return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
  }

  private Map<Long, PGPPublicKeyRing> ringsByKeyId() {
    Map<Long, PGPPublicKeyRing> rings = new LinkedHashMap<>();
    for (PGPPublicKeyRing ring : keyRings) {
      rings.put(ring.getPublicKey().getKeyID(), ring);
    }
    return rings;
  }

  private static Keyring loadDirectory(Path directory) {
    List<Path> files;
    try (Stream<Path> entries = Files.list(directory)) {
      files =
          entries
              .filter(p -> p.getFileName().toString().endsWith(".gpg")
                  || p.getFileName().toString().endsWith(".asc"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new ImageBuildException("failed to list keyring directory " + directory + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ImageBuildException(
          "no keys in " + directory + ": the directory has no *.gpg or *.asc keyring files;"
              + " add the archive's keyring there or name a keyring file instead");
    }
    Map<Long, PGPPublicKeyRing> rings = new LinkedHashMap<>();
    for (Path file : files) {
      readKeyRings(readFile(file), file.toString(), rings);
    }
    return build(rings, directory.toString());
  }

  private static byte[] readFile(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ImageBuildException(
          "keyring not found: " + path + "; check the path, or install the package that provides it"
              + " (for Debian: debian-archive-keyring)", e);
    } catch (IOException e) {
      throw new ImageBuildException("failed to read keyring " + path + ": " + e.getMessage(), e);
    }
  }

  private static Keyring build(Map<Long, PGPPublicKeyRing> rings, String description) {
    if (rings.isEmpty()) {
      throw new ImageBuildException(
          "no public keys in " + description + ": name a file that contains OpenPGP public keys,"
              + " binary (.gpg) or ASCII-armored (.asc)");
    }
    try {
      return new Keyring(new PGPPublicKeyRingCollection(List.copyOf(rings.values())), description);
    } catch (IllegalArgumentException e) {
      // Two different primary keys that share a subkey ID: BouncyCastle cannot index both.
      throw new ImageBuildException("conflicting key IDs in " + description + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads every public key ring in {@code data} into {@code rings}, merging a key that appears
   * twice, as it does when a directory contains an old and a new copy of a key.
   */
  private static void readKeyRings(byte[] data, String description, Map<Long, PGPPublicKeyRing> rings) {
    try {
      if (isArmored(data)) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        // One ArmoredInputStream reads one armor block, but an .asc file may contain several.
        while (skipToArmor(in)) {
          int before = in.available();
          readObjects(new ArmoredInputStream(in), description, rings);
          if (in.available() == before) {
            break;
          }
        }
      } else {
        readObjects(new ByteArrayInputStream(data), description, rings);
      }
    } catch (IOException | PGPException | RuntimeException e) {
      if (e instanceof ImageBuildException) {
        throw (ImageBuildException) e;
      }
      throw new ImageBuildException(
          "invalid keyring " + description + ": " + e.getMessage()
              + "; it must contain OpenPGP public keys, binary (.gpg) or ASCII-armored (.asc)", e);
    }
  }

  private static void readObjects(InputStream in, String description, Map<Long, PGPPublicKeyRing> rings)
      throws IOException, PGPException {
    JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
    Object object;
    while ((object = factory.nextObject()) != null) {
      if (object instanceof PGPPublicKeyRing) {
        PGPPublicKeyRing ring = (PGPPublicKeyRing) object;
        long keyId = ring.getPublicKey().getKeyID();
        PGPPublicKeyRing known = rings.get(keyId);
        rings.put(keyId, known == null ? ring : PGPPublicKeyRing.join(known, ring));
      } else if (!(object instanceof PGPMarker) && !(object instanceof PGPSignatureList)) {
        // Stand-alone signatures, such as revocation certificates, are skipped because they carry
        // no key. Anything else, such as a secret key, does not belong in a keyring.
        throw new ImageBuildException(
            "invalid keyring " + description + ": it contains " + object.getClass().getSimpleName()
                + " where public keys are expected; export public keys only"
                + " (gpg --export, not --export-secret-keys)");
      }
    }
  }

  /** Tells armor from binary by content: armored data starts, after whitespace, with "-----BEGIN PGP". */
  private static boolean isArmored(byte[] data) {
    String start = new String(data, 0, Math.min(data.length, 1024), StandardCharsets.ISO_8859_1);
    return start.stripLeading().startsWith("-----BEGIN PGP");
  }

  /** Advances {@code in} to the next "-----BEGIN PGP" line; returns false at the end of the data. */
  private static boolean skipToArmor(ByteArrayInputStream in) {
    byte[] marker = "-----BEGIN PGP".getBytes(StandardCharsets.US_ASCII);
    in.mark(0);
    byte[] rest = in.readAllBytes();
    for (int i = 0; i + marker.length <= rest.length; i++) {
      boolean lineStart = i == 0 || rest[i - 1] == '\n';
      if (lineStart && matchesAt(rest, i, marker)) {
        in.reset();
        in.skip(i);
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAt(byte[] data, int offset, byte[] marker) {
    for (int j = 0; j < marker.length; j++) {
      if (data[offset + j] != marker[j]) {
        return false;
      }
    }
    return true;
  }
}
