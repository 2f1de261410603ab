package dev.debimage.core.multistrap;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.DebArchive;
import dev.debimage.core.assembly.TarEntryRef;
import dev.debimage.core.fetch.DownloadCache;
import dev.debimage.core.fetch.HttpDownloader;
import dev.debimage.core.fetch.MissingFromCacheException;
import dev.debimage.core.fetch.PackageFetcher;
import dev.debimage.core.fetch.Sha256;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.DebianVersion;
import dev.debimage.core.sources.Keyring;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.bouncycastle.bcpg.ArmoredOutputStream;

/**
 * The keys that each repository section of a multistrap configuration trusts, found from the
 * keyring packages that its {@code keyring=} names. A package whose keys image-core bundles
 * selects those keys. Any other keyring package is looked up in the sections whose Release files
 * verify with keys already trusted, and fetched and checked by SHA256 like any package. The
 * keyring files it installs become the keys of the section that names it.
 */
public final class KeyringPackages {

  /**
   * The files of a keyring package that hold keys: {@code /usr/share/keyrings/*.gpg}, and the
   * {@code *.gpg} and {@code *.asc} files of {@code /etc/apt/trusted.gpg.d/}, the two kinds that
   * apt reads there.
   */
  private static final Pattern KEYRING_FILE =
      Pattern.compile("(?:\\./)?(?:usr/share/keyrings/[^/]+\\.gpg|etc/apt/trusted\\.gpg\\.d/[^/]+\\.(?:gpg|asc))");

  /**
   * Files that list keys an archive no longer signs with, such as
   * {@code debian-archive-removed-keys.gpg}: their keys are never trusted.
   */
  private static final Pattern REMOVED_KEYS = Pattern.compile(".*-removed-keys\\.gpg");

  /** The keyring packages whose keys image-core bundles, each checked against pinned fingerprints. */
  private static final Map<String, Supplier<Keyring>> BUNDLED =
      Map.of("debian-archive-keyring", Keyring::bundledDebian, "ubuntu-keyring", Keyring::bundledUbuntu);

  /** The {@code Signed-By} entries that name the bundled keys of {@link #BUNDLED}. */
  private static final Map<String, String> BUNDLED_ENTRIES =
      Map.of("debian-archive-keyring", Keyring.BUNDLED_DEBIAN, "ubuntu-keyring", Keyring.BUNDLED_UBUNTU);

  /**
   * One section whose keys are requested.
   *
   * @param section the section name as the file writes it; names are unique in any case
   * @param where the file and line of the section, for messages
   * @param source the section as a source without {@code Signed-By}
   * @param packages the keyring packages that {@code keyring=} names, empty when it names none
   * @param keyringWhere the file and line of the {@code keyring=} value, for messages
   */
  record Request(String section, String where, SourceSpec source, List<String> packages, String keyringWhere) {}

  /** The keys of one keyring package and where they came from. */
  private record PackageKeys(BinaryPackage binaryPackage, byte[] keys, List<String> fingerprints) {}

  private final Supplier<DownloadCache> cache;
  private final BuildListener listener;
  private final Map<String, Supplier<Keyring>> bundled;
  private final Map<String, String> bundledEntries;
  private final Supplier<Keyring> defaultKeys;

  /** Indexes of sections already loaded, by section and the SHA-256 of the keys they were verified with. */
  private final Map<String, List<BinaryPackage>> universes = new HashMap<>();

  /** The reasons that Release files did not verify, by section, for the message when a package is missing. */
  private final Map<String, String> unverified = new LinkedHashMap<>();

  /** Creates a lookup that downloads through {@code cache}. */
  public KeyringPackages(DownloadCache cache, BuildListener listener) {
    this(() -> cache, listener, BUNDLED, BUNDLED_ENTRIES, Keyring::bundled);
  }

  /**
   * Creates a lookup with its own bundled keys, so that tests can stand in for them.
   *
   * @param bundledEntries the {@code Signed-By} entry of each bundled keyring package; a package
   *     without one gets its keys as an armored key block
   * @param defaultKeys the keys that a section without {@code keyring=} trusts
   */
  KeyringPackages(
      Supplier<DownloadCache> cache,
      BuildListener listener,
      Map<String, Supplier<Keyring>> bundled,
      Map<String, String> bundledEntries,
      Supplier<Keyring> defaultKeys) {
    this.cache = cache;
    this.listener = listener;
    this.bundled = Map.copyOf(bundled);
    this.bundledEntries = Map.copyOf(bundledEntries);
    this.defaultKeys = defaultKeys;
  }

  /**
   * Creates a lookup that downloads through the default cache directory, online, with the proxy
   * environment variables. The cache directory is created only when a keyring package is fetched.
   */
  public static KeyringPackages withDefaultCache(BuildListener listener) {
    Supplier<DownloadCache> cache = new Supplier<>() {
      private DownloadCache created;

      @Override
      public synchronized DownloadCache get() {
        if (created == null) {
          created = new DownloadCache(ImageSpec.defaultCacheDirectory(), new HttpDownloader(listener), false);
        }
        return created;
      }
    };
    return new KeyringPackages(cache, listener, BUNDLED, BUNDLED_ENTRIES, Keyring::bundled);
  }

  /**
   * Returns the {@code Signed-By} value of each requested section, by section name: the entries
   * that name the bundled keys (such as {@code bundled:debian}) when all its keyring packages are
   * bundled, or else an ASCII-armored key block with the keys of its keyring packages. A section
   * without keyring packages gets the keys of all the others, as multistrap gives it, or, when no
   * section names one, an empty value, so that the bundled archive keys check it.
   *
   * @throws ImageBuildException when a keyring package is in no section whose Release file
   *     verifies with keys already trusted, or holds no keys
   */
  Map<String, Optional<String>> signedBy(List<Request> requests, String architecture) {
    Map<String, byte[]> trusted = new LinkedHashMap<>();
    Map<String, Optional<String>> signedBy = new LinkedHashMap<>();
    List<Request> pending = new ArrayList<>();
    List<Request> withoutKeyring = new ArrayList<>();
    boolean anyKeyring = requests.stream().anyMatch(request -> !request.packages().isEmpty());
    for (Request request : requests) {
      if (request.packages().isEmpty() && !anyKeyring) {
        trusted.put(request.section(), defaultKeys.get().encoded());
        signedBy.put(request.section(), Optional.empty());
      } else if (request.packages().isEmpty()) {
        withoutKeyring.add(request);
      } else if (request.packages().stream().allMatch(bundled::containsKey)) {
        byte[] keys = bundledKeys(request.packages(), request.where());
        trusted.put(request.section(), keys);
        signedBy.put(request.section(), Optional.of(bundledSignedBy(request.packages(), keys)));
      } else {
        pending.add(request);
      }
    }

    // Each round trusts the keys of every section whose keyring packages were all found, so a
    // keyring package may come from a section that another keyring package's keys verify.
    Map<String, PackageKeys> found = new HashMap<>();
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (Request request : List.copyOf(pending)) {
        for (String name : request.packages()) {
          if (!bundled.containsKey(name) && !found.containsKey(name)) {
            find(name, requests, trusted, architecture).ifPresent(keys -> found.put(name, keys));
          }
        }
        if (request.packages().stream().allMatch(name -> bundled.containsKey(name) || found.containsKey(name))) {
          byte[] keys = sectionKeys(request, found);
          trusted.put(request.section(), keys);
          signedBy.put(request.section(), Optional.of(armor(keys)));
          pending.remove(request);
          progress = true;
        }
      }
      if (!progress) {
        throw notFound(pending.get(0), found, trusted.keySet());
      }
    }

    // multistrap puts the keys of every keyring package into one trusted.gpg.d, so a section
    // without keyring= is checked against the keys that the other sections name.
    if (!withoutKeyring.isEmpty()) {
      List<String> named = requests.stream().flatMap(request -> request.packages().stream()).distinct().toList();
      byte[] keys = merge(allTrusted(trusted), "the keyring packages that the configuration names");
      Optional<String> value = Optional.of(named.stream().allMatch(bundled::containsKey)
          ? bundledSignedBy(named, keys)
          : armor(keys));
      for (Request request : withoutKeyring) {
        signedBy.put(request.section(), value);
      }
    }
    return signedBy;
  }

  /** Returns the bundled keys of keyring packages that are all bundled. */
  private byte[] bundledKeys(List<String> packages, String where) {
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    for (String name : packages) {
      keys.writeBytes(bundled.get(name).get().encoded());
    }
    return merge(keys.toByteArray(), "the keyring packages of " + where);
  }

  /**
   * Returns the {@code Signed-By} value for bundled keyring packages: their {@code bundled:}
   * entries, or the armored keys when one has no entry.
   */
  private String bundledSignedBy(List<String> packages, byte[] keys) {
    if (packages.stream().allMatch(bundledEntries::containsKey)) {
      return String.join(" ", packages.stream().map(bundledEntries::get).distinct().toList());
    }
    return armor(keys);
  }

  /** Returns the keys of a section whose keyring packages are bundled or found, and logs them. */
  private byte[] sectionKeys(Request request, Map<String, PackageKeys> found) {
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    for (String name : request.packages()) {
      if (bundled.containsKey(name)) {
        keys.writeBytes(bundled.get(name).get().encoded());
      } else {
        PackageKeys packageKeys = found.get(name);
        keys.writeBytes(packageKeys.keys());
        listener.info(
            "Trusting the keys " + String.join(", ", packageKeys.fingerprints()) + " of keyring package "
                + packageKeys.binaryPackage().name() + " " + packageKeys.binaryPackage().version() + " (from "
                + packageKeys.binaryPackage().archiveRoot() + " " + packageKeys.binaryPackage().suite()
                + ") for " + request.where());
      }
    }
    return merge(keys.toByteArray(), "the keyring packages of " + request.where());
  }

  /**
   * Finds the newest version of keyring package {@code name} in the sections whose Release files
   * verify with keys trusted so far, fetches it and reads its keys.
   */
  private Optional<PackageKeys> find(
      String name, List<Request> requests, Map<String, byte[]> trusted, String architecture) {
    byte[] allTrusted = allTrusted(trusted);
    BinaryPackage newest = null;
    for (Request request : requests) {
      // A section that is still pending may still verify with another section's keys.
      byte[] keys = trusted.getOrDefault(request.section(), allTrusted);
      Optional<List<BinaryPackage>> packages = packages(request, keys, trusted.containsKey(request.section()), architecture);
      if (packages.isEmpty()) {
        continue;
      }
      for (BinaryPackage candidate : packages.get()) {
        if (candidate.name().equals(name)
            && (newest == null
                || DebianVersion.parse(candidate.version()).compareTo(DebianVersion.parse(newest.version())) > 0)) {
          newest = candidate;
        }
      }
    }
    if (newest == null) {
      return Optional.empty();
    }
    return Optional.of(readKeys(newest));
  }

  /**
   * Returns the packages of a section after verifying its Release file with {@code keys}, or
   * empty when the section is still pending and its Release file does not verify with them.
   */
  private Optional<List<BinaryPackage>> packages(
      Request request, byte[] keys, boolean sectionTrusted, String architecture) {
    if (keys.length == 0) {
      return Optional.empty();
    }
    String cacheKey = request.section() + " " + Sha256.hex(keys);
    List<BinaryPackage> known = universes.get(cacheKey);
    if (known != null) {
      return Optional.of(known);
    }
    SourceSpec source = withSignedBy(request.source(), Optional.of(armor(keys)));
    try {
      List<BinaryPackage> packages =
          new IndexLoader(cache.get(), listener).load(List.of(source), architecture).packages();
      universes.put(cacheKey, packages);
      unverified.remove("[" + request.section() + "]");
      return Optional.of(packages);
    } catch (MissingFromCacheException e) {
      throw e;
    } catch (ImageBuildException e) {
      if (sectionTrusted) {
        throw e;
      }
      listener.debug("Not looking up keyring packages in " + request.where() + " yet: " + e.getMessage());
      unverified.put("[" + request.section() + "]", e.getMessage());
      return Optional.empty();
    }
  }

  /** Fetches a keyring package, checked by SHA256, and reads the keys of its keyring files. */
  private PackageKeys readKeys(BinaryPackage keyringPackage) {
    DownloadCache downloads = cache.get();
    Path deb =
        new PackageFetcher(downloads, listener).fetch(List.of(keyringPackage)).files().get(keyringPackage);
    DebArchive archive = DebArchive.open(deb, downloads.root().resolve("data"), keyringPackage.sha256());
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    List<String> files = new ArrayList<>();
    for (TarEntryRef entry : archive.entries()) {
      String path = entry.name();
      String fileName = path.substring(path.lastIndexOf('/') + 1);
      if (entry.kind() != TarEntryRef.Kind.REGULAR || !KEYRING_FILE.matcher(path).matches()
          || REMOVED_KEYS.matcher(fileName).matches()) {
        continue;
      }
      String description = "/" + path.replaceFirst("^\\./", "") + " of keyring package " + keyringPackage;
      keys.writeBytes(Keyring.parse(content(entry), description).encoded());
      files.add("/" + path.replaceFirst("^\\./", ""));
    }
    if (files.isEmpty()) {
      throw new ImageBuildException(
          "keyring package " + keyringPackage + " from " + keyringPackage.debUri() + " contains no"
              + " keyring files (/usr/share/keyrings/*.gpg, /etc/apt/trusted.gpg.d/*.gpg or *.asc):"
              + " name the package that installs the archive's keys in keyring=");
    }
    byte[] merged = merge(keys.toByteArray(), "keyring package " + keyringPackage);
    List<String> fingerprints = Keyring.parse(merged, keyringPackage.toString()).fingerprints();
    listener.debug("Read the keys " + fingerprints + " from " + String.join(", ", files) + " of " + keyringPackage);
    return new PackageKeys(keyringPackage, merged, fingerprints);
  }

  private static byte[] content(TarEntryRef entry) {
    try (FileChannel channel = FileChannel.open(entry.dataTar(), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(entry.size()));
      long position = entry.dataOffset();
      while (buffer.hasRemaining()) {
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new IOException("the file ends before " + entry.name() + " does");
        }
        position += read;
      }
      return buffer.array();
    } catch (IOException e) {
      throw new ImageBuildException(
          "failed to read " + entry.name() + " from " + entry.dataTar() + ": " + e.getMessage()
              + "; delete the file so that it is extracted again", e);
    }
  }

  private ImageBuildException notFound(Request request, Map<String, PackageKeys> found, Collection<String> trustedSections) {
    String name = request.packages().stream()
        .filter(packageName -> !bundled.containsKey(packageName) && !found.containsKey(packageName))
        .findFirst().orElseThrow();
    StringBuilder message = new StringBuilder();
    message.append("keyring package '").append(name).append("' that keyring= names at ")
        .append(request.keyringWhere()).append(" was not found in any section whose Release file verifies with")
        .append(" the keys trusted so far (those of the sections ")
        .append(String.join(", ", trustedSections.stream().map(section -> "[" + section + "]").toList()))
        .append("; bundled keyring packages: ").append(String.join(", ", bundled.keySet().stream().sorted().toList()))
        .append(")");
    unverified.forEach((section, reason) ->
        message.append(". Section ").append(section).append(" did not verify: ").append(reason));
    message.append(". Provide the key another way: list the sources in the pom's <sources> instead of")
        .append(" <multistrapConfig>, with <signedBy> naming the archive's keyring file, or add a section")
        .append(" that contains ").append(name).append(" and is signed by a trusted key");
    return new ImageBuildException(message.toString());
  }

  private static byte[] allTrusted(Map<String, byte[]> trusted) {
    ByteArrayOutputStream keys = new ByteArrayOutputStream();
    trusted.values().forEach(keys::writeBytes);
    return keys.toByteArray();
  }

  /** Merges concatenated key rings, joining a key that appears twice, and returns them encoded. */
  private static byte[] merge(byte[] keys, String description) {
    return Keyring.parse(keys, description).encoded();
  }

  /** Returns binary key rings as one ASCII-armored key block, which {@code Signed-By} accepts. */
  static String armor(byte[] keys) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    // No Version header, so the text, and the lockfile inputs digest that covers it, do not
    // change with the BouncyCastle version.
    try (OutputStream out = ArmoredOutputStream.builder().clearHeaders().build(text)) {
      out.write(keys);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to armor keys", e);
    }
    return text.toString(StandardCharsets.US_ASCII);
  }

  static SourceSpec withSignedBy(SourceSpec source, Optional<String> signedBy) {
    return new SourceSpec(
        source.uris(), source.suites(), source.components(), source.architectures(), signedBy,
        source.origin(), source.allowExpiredValidUntil(), source.allowExpiredKeys(), source.trusted());
  }
}
