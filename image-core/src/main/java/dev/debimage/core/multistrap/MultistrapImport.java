package dev.debimage.core.multistrap;

import dev.debimage.core.BuildListener;
import dev.debimage.core.ImageBuildException;
import dev.debimage.core.hooks.MultistrapScripts;
import dev.debimage.core.multistrap.MultistrapConfig.Section;
import dev.debimage.core.multistrap.MultistrapConfig.Value;
import dev.debimage.core.resolution.PrioritySelector;
import dev.debimage.core.spec.ApplicationLayer;
import dev.debimage.core.spec.ImageSpec;
import dev.debimage.core.spec.SourceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a {@link MultistrapConfig} onto an {@link ImageSpec}: the {@code bootstrap} sections give
 * the sources and packages, {@code arch} the architecture, {@code aptsources} the apt sources
 * files in the image, and {@code keyring} the keys that check each source ({@link
 * KeyringPackages}). Every key that {@link MultistrapKeys} marks as rejected fails the import
 * when its value requests more than multistrap's default.
 */
public final class MultistrapImport {

  /** The name of the layer that contains the aptsources files. */
  public static final String APT_SOURCES_LAYER = "apt-sources";

  private static final String PACKAGE_NAME = "[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?";

  /**
   * The settings that a configuration adds to a spec.
   *
   * @param architecture the {@code arch} value, when the configuration sets one
   * @param sources one source per {@code bootstrap} section
   * @param packages the packages, additional packages and keyring packages of those sections
   * @param prioritySelector the selection of {@code Priority: required} (and {@code important})
   *     packages, unless {@code omitrequired=true}
   * @param aptSources the layer with the aptsources files, when {@code aptsources} names sections
   * @param notes what the import logged about accepted keys that have a difference
   * @param scripts the setupscript, configscript, hook directory scripts and omitpreinst
   * @param allowRecommends whether {@code allowrecommends=true} requests the Recommends of the
   *     chosen packages; {@link #applyTo} leaves the resolve options alone, so a caller passes this
   *     on as {@link dev.debimage.core.resolution.ResolveOptions#installRecommends()}
   */
  public record Result(
      Optional<String> architecture,
      List<SourceSpec> sources,
      List<String> packages,
      Optional<PrioritySelector> prioritySelector,
      Optional<ApplicationLayer> aptSources,
      List<String> notes,
      MultistrapScripts scripts,
      boolean allowRecommends) {

    public Result {
      sources = List.copyOf(sources);
      packages = List.copyOf(packages);
      notes = List.copyOf(notes);
      java.util.Objects.requireNonNull(scripts, "scripts");
    }

    /** Creates a result that names no scripts and does not ask for Recommends. */
    public Result(
        Optional<String> architecture, List<SourceSpec> sources, List<String> packages,
        Optional<PrioritySelector> prioritySelector, Optional<ApplicationLayer> aptSources,
        List<String> notes) {
      this(architecture, sources, packages, prioritySelector, aptSources, notes, MultistrapScripts.NONE, false);
    }

    /**
     * Adds the sources, packages, priority selection and aptsources layer to {@code builder}, sets
     * its architecture when the configuration names one, and sets its multistrap scripts.
     */
    public ImageSpec.Builder applyTo(ImageSpec.Builder builder) {
      builder.multistrapScripts(scripts);
      architecture.ifPresent(builder::architecture);
      sources.forEach(builder::addSource);
      packages.forEach(builder::addPackage);
      prioritySelector.ifPresent(builder::addPackageSelector);
      aptSources.ifPresent(builder::addApplicationLayer);
      return builder;
    }
  }

  private final MultistrapConfig config;
  private final BuildListener listener;
  private final List<String> notes = new ArrayList<>();

  private MultistrapImport(MultistrapConfig config, BuildListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Checks every key of {@code config} and returns what it adds to a spec. The aptsources files
   * are written below {@code generatedDirectory}. A keyring package whose keys are not bundled is
   * fetched through the default cache directory, as {@link KeyringPackages#withDefaultCache}
   * describes.
   *
   * @param defaultArchitecture the architecture for the aptsources files, and for the indexes that
   *     keyring packages are looked up in, when {@code arch} is unset
   * @throws ImageBuildException naming the key, file and line of the first value that cannot be
   *     honoured
   */
  public static Result read(
      MultistrapConfig config, String defaultArchitecture, Path generatedDirectory, BuildListener listener) {
    return read(config, defaultArchitecture, generatedDirectory, listener, KeyringPackages.withDefaultCache(listener));
  }

  /**
   * Does what {@link #read(MultistrapConfig, String, Path, BuildListener)} does, with {@code
   * keyrings} fetching the keyring packages whose keys are not bundled.
   *
   * @throws ImageBuildException naming the key, file and line of the first value that cannot be
   *     honoured, or the keyring package that no verified section contains
   */
  public static Result read(
      MultistrapConfig config, String defaultArchitecture, Path generatedDirectory, BuildListener listener,
      KeyringPackages keyrings) {
    return new MultistrapImport(config, listener).read(defaultArchitecture, generatedDirectory, keyrings);
  }

  private Result read(String defaultArchitecture, Path generatedDirectory, KeyringPackages keyrings) {
    for (String key : config.generalKeys()) {
      checkGeneral(key);
    }
    for (Section section : config.sections().values()) {
      for (String key : section.values().keySet()) {
        section.all(key).forEach(value -> checkRepository(section, value));
      }
    }
    if (isTrue("omitrequired") && isTrue("addimportant")) {
      Value important = config.general("addimportant").orElseThrow();
      throw new ImageBuildException(
          "addimportant=true at " + important.where() + " together with omitrequired=true at "
              + config.general("omitrequired").orElseThrow().where() + ": multistrap rejects this"
              + " combination; set one of them to false");
    }

    Optional<String> architecture = architecture();
    List<Section> bootstrap = listedSections(bootstrapValues());
    if (bootstrap.isEmpty()) {
      throw new ImageBuildException(
          "no bootstrap sections in " + config.file() + ": set bootstrap= in [General] to the"
              + " repository sections that give the packages, such as bootstrap=Debian");
    }
    List<Section> aptSources = listedSections(config.generalAll("aptsources"));

    List<KeyringPackages.Request> requests = new ArrayList<>();
    LinkedHashSet<String> packages = new LinkedHashSet<>();
    for (Section section : bootstrap) {
      requests.add(new KeyringPackages.Request(
          section.name(), section.where(), source(section), keyringPackages(section),
          section.value("keyring").map(Value::where).orElse(section.where())));
      for (String key : List.of("packages", "additional")) {
        for (Value value : section.all(key)) {
          for (String name : value.words()) {
            packages.add(packageName(name, value));
          }
        }
      }
    }
    LinkedHashSet<Section> withKeyrings = new LinkedHashSet<>(bootstrap);
    withKeyrings.addAll(aptSources);
    for (Section section : config.sections().values()) {
      if (!withKeyrings.contains(section)) {
        String message = "section " + section.where() + " is in neither bootstrap nor aptsources,"
            + " so it is not used";
        notes.add(message);
        listener.info(message);
      }
    }
    boolean anyKeyring = requests.stream().anyMatch(request -> !request.packages().isEmpty());
    for (Section section : withKeyrings) {
      List<String> keyringPackages = keyringPackages(section);
      if (keyringPackages.isEmpty() && bootstrap.contains(section)) {
        String message = "no keyring= in " + section.where() + ": " + (anyKeyring
            ? "the keys of the keyring packages that the other sections name check its signatures,"
                + " as multistrap checks them"
            : "the bundled Debian and Ubuntu archive keys check its signatures");
        notes.add(message);
        listener.info(message);
      }
      packages.addAll(keyringPackages);
    }
    Map<String, Optional<String>> signedBy =
        keyrings.signedBy(requests, architecture.orElse(defaultArchitecture));
    List<SourceSpec> sources = new ArrayList<>();
    for (KeyringPackages.Request request : requests) {
      sources.add(KeyringPackages.withSignedBy(request.source(), signedBy.get(request.section())));
    }

    Optional<PrioritySelector> selector = Optional.empty();
    if (!isTrue("omitrequired")) {
      Set<String> priorities = isTrue("addimportant") ? Set.of("required", "important") : Set.of("required");
      selector = Optional.of(PrioritySelector.multistrap(priorities));
    }

    Optional<ApplicationLayer> layer = Optional.empty();
    if (!aptSources.isEmpty()) {
      layer = Optional.of(
          AptSourcesFiles.write(aptSources, architecture.orElse(defaultArchitecture), generatedDirectory));
    }
    MultistrapScripts scripts = MultistrapScriptKeys.read(config, listener, notes);
    boolean allowRecommends = config.general("allowrecommends").map(MultistrapImport::bool).orElse(false);
    return new Result(
        architecture, sources, new ArrayList<>(packages), selector, layer, notes, scripts, allowRecommends);
  }

  /** Checks one [General] key's value; rejects what cannot be honoured and notes differences. */
  private void checkGeneral(String key) {
    Value value = config.general(key).orElseThrow();
    switch (key) {
      case "arch", "bootstrap", "debootstrap", "aptsources", "include" -> {
        // Read where they are used.
      }
      case "omitrequired", "addimportant" -> bool(value);
      case "directory" -> noteIfSet(value, "the image is written to the build's output directory");
      case "cleanup" -> {
        bool(value);
        noteIfSet(value, "the image never contains apt's lists or package cache");
      }
      case "tarballname" -> noteIfSet(value, "the build writes the image as oci/ and image.tar instead");
      case "ignorenativearch" -> {
        bool(value);
        noteIfSet(value, "no maintainer script runs during an image build");
      }
      case "omitpreinst" -> bool(value);
      case "markauto" -> {
        if (bool(value)) {
          note(value, "apt's extended_states file is not written, so apt in the image treats every"
              + " package as manually installed");
        }
      }
      case "noauth" -> {
        if (bool(value)) {
          reject(value, "the signature of every Release file is always checked, and no source can"
              + " skip it", "set noauth=false, or name a keyring that signs the source");
        }
      }
      case "unpack", "forceunpack" -> {
        if (!boolOr(value, true)) {
          reject(value, "an image build always unpacks the packages", "remove the line");
        }
      }
      case "explicitsuite" -> {
        if (bool(value)) {
          reject(value, "the resolver takes the newest version from all suites and cannot pin a"
              + " package to one suite", "remove the line, or list only the suite you want");
        }
      }
      case "allowrecommends" -> bool(value);
      case "multiarch" -> rejectIfSet(config.generalAll(key), "an image has one architecture");
      case "configscript", "setupscript", "hookdir" -> {
        // Read by MultistrapScriptKeys.
      }
      case "aptpreferences" -> rejectIfSet(List.of(value), "the resolver does not read apt preferences");
      case "debconfseed" -> rejectIfSet(List.of(value), "debconf does not run during the build");
      case "retainsources" -> {
        if (!value.text().isEmpty() && !value.text().equalsIgnoreCase("false")) {
          reject(value, "source packages are not downloaded", "remove the line");
        }
      }
      case "aptdefaultrelease" -> {
        if (!value.text().isEmpty() && !value.text().equals("*")) {
          reject(value, "the resolver takes the newest version from all suites, as apt does with"
              + " Default-Release *", "remove the line");
        }
      }
      default -> throw new IllegalStateException("no rule for the [General] key " + key);
    }
  }

  /** Checks one repository section value. */
  private void checkRepository(Section section, Value value) {
    switch (value.key()) {
      case "packages", "source", "keyring", "suite", "components", "additional" -> {
        // Read where they are used.
      }
      case "omitdebsrc" -> bool(value);
      case "architecture" -> rejectIfSet(List.of(value), "an image has one architecture");
      case "reinstall" -> noteIfSet(value, "no maintainer script runs, so there is nothing to repeat");
      default -> throw new IllegalStateException("no rule for the repository key " + value.key());
    }
  }

  private Optional<String> architecture() {
    Optional<Value> arch = config.general("arch").filter(value -> !value.text().isEmpty());
    if (arch.isEmpty()) {
      return Optional.empty();
    }
    String text = arch.get().text();
    if (!text.matches("[a-z0-9][a-z0-9-]*")) {
      throw new ImageBuildException(
          "invalid arch '" + text + "' at " + arch.get().where() + ": use a Debian architecture"
              + " name such as amd64 or arm64");
    }
    return Optional.of(text);
  }

  private List<Value> bootstrapValues() {
    List<Value> values = new ArrayList<>(config.generalAll("bootstrap"));
    values.addAll(config.generalAll("debootstrap"));
    return values;
  }

  /**
   * Returns the sections that [General] list values name, once each, in the order first named.
   * Section names are compared in lower case.
   */
  private List<Section> listedSections(List<Value> values) {
    LinkedHashSet<Section> sections = new LinkedHashSet<>();
    for (Value value : values) {
      for (String word : value.words()) {
        String name = word.toLowerCase(Locale.ROOT);
        Section section = config.sections().get(name);
        if (section == null) {
          throw new ImageBuildException(
              value.key() + "= at " + value.where() + " names the section '" + word + "', which"
                  + " no file defines: add a [" + word + "] section or fix the name (defined: "
                  + config.sections().keySet() + ")");
        }
        sections.add(section);
      }
    }
    return new ArrayList<>(sections);
  }

  private SourceSpec source(Section section) {
    Value source = section.value("source").filter(value -> !value.text().isEmpty())
        .orElseThrow(() -> new ImageBuildException(
            "missing source= in " + section.where() + ": set the archive URL of the section"));
    Value suite = section.value("suite").filter(value -> !value.text().isEmpty())
        .orElseThrow(() -> new ImageBuildException(
            "missing suite= in " + section.where() + ": set a suite such as bookworm"));
    if (suite.words().size() != 1) {
      throw new ImageBuildException(
          "suite=" + suite.text() + " at " + suite.where() + " has more than one word: name one"
              + " suite and list the components in components=, such as suite=trusty and"
              + " components=main universe (multistrap copies the extra words into the sources"
              + " line, where apt reads them as components)");
    }
    List<String> components =
        section.value("components").map(Value::words).filter(words -> !words.isEmpty())
            .orElse(List.of("main"));
    return new SourceSpec(
        List.of(sourceUri(source)), suite.words(), components, List.of(), Optional.empty(),
        section.where());
  }

  private URI sourceUri(Value source) {
    String text = source.text();
    if (text.contains(" ") || text.startsWith("[")) {
      throw new ImageBuildException(
          "source=" + text + " at " + source.where() + " is in the flat repository form or has"
              + " options: only an archive root URL is supported, such as http://MIRROR/debian");
    }
    if (text.startsWith("copy://")) {
      text = "file://" + text.substring("copy://".length());
      note(source, "copy:// is read as " + text);
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!Set.of("http", "https", "file").contains(scheme)) {
        throw new URISyntaxException(text, "unsupported scheme");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ImageBuildException(
          "invalid source=" + source.text() + " at " + source.where() + ": use an http, https,"
              + " file or copy URL of an archive root");
    }
  }

  /** Returns the keyring packages that a section's {@code keyring=} names, checked as package names. */
  private static List<String> keyringPackages(Section section) {
    Optional<Value> keyring = section.value("keyring").filter(value -> !value.text().isEmpty());
    if (keyring.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : keyring.get().words()) {
      if (name.contains("=") || name.contains("/")) {
        throw new ImageBuildException(
            "keyring package '" + name + "' at " + keyring.get().where() + " has a version or a"
                + " suite: write the package name alone, such as debian-archive-keyring");
      }
      names.add(packageName(name, keyring.get()));
    }
    return names;
  }

  private static String packageName(String name, Value value) {
    if (name.contains("/")) {
      throw new ImageBuildException(
          "package '" + name + "' at " + value.where() + " names a suite: explicitsuite is not"
              + " supported, so write the package name alone");
    }
    if (!name.matches(PACKAGE_NAME)) {
      throw new ImageBuildException(
          "invalid package name '" + name + "' at " + value.where() + ": Debian package names use"
              + " lower-case letters, digits and + - ., optionally followed by =VERSION");
    }
    return name;
  }

  private boolean isTrue(String key) {
    return config.general(key).map(MultistrapImport::bool).orElse(false);
  }

  /** Reads a true/false value; an empty value means false, multistrap's default. */
  static boolean bool(Value value) {
    return boolOr(value, false);
  }

  private static boolean boolOr(Value value, boolean fallback) {
    String text = value.text().toLowerCase(Locale.ROOT);
    if (text.isEmpty()) {
      return fallback;
    }
    if (text.equals("true")) {
      return true;
    }
    if (text.equals("false")) {
      return false;
    }
    throw new ImageBuildException(
        "invalid value " + value.key() + "=" + value.text() + " at " + value.where()
            + ": use true or false");
  }

  private void noteIfSet(Value value, String reason) {
    if (!value.text().isEmpty()) {
      note(value, reason);
    }
  }

  private void note(Value value, String reason) {
    String message = "multistrap " + value.key() + "=" + value.text() + " at " + value.where()
        + " has no effect here: " + reason;
    notes.add(message);
    listener.info(message);
  }

  private static void rejectIfSet(List<Value> values, String reason) {
    for (Value value : values) {
      if (!value.text().isEmpty()) {
        reject(value, reason, "remove the line or leave its value empty");
      }
    }
  }

  private static void reject(Value value, String reason, String fix) {
    throw new ImageBuildException(
        "multistrap key " + value.key() + "=" + value.text() + " at " + value.where()
            + " is not supported: " + reason + ". Fix: " + fix);
  }

  /** Writes the aptsources files and names them in a layer. */
  static final class AptSourcesFiles {
    private AptSourcesFiles() {}

    static ApplicationLayer write(List<Section> sections, String architecture, Path directory) {
      if (directory == null) {
        throw new ImageBuildException("missing directory for the generated aptsources files");
      }
      List<ApplicationLayer.Entry> entries = new ArrayList<>();
      try {
        Files.createDirectories(directory);
        for (Section section : sections) {
          String lower = section.name().toLowerCase(Locale.ROOT);
          if (!lower.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new ImageBuildException(
                "section name '" + section.name() + "' of " + section.where() + " cannot name"
                    + " a sources.list file: use letters, digits, '.', '_' and '-'");
          }
          String fileName = "multistrap-" + lower + ".list";
          Path file = directory.resolve(fileName);
          Files.writeString(file, lines(section, architecture), StandardCharsets.UTF_8);
          entries.add(new ApplicationLayer.Entry(file, "/etc/apt/sources.list.d/" + fileName));
        }
      } catch (IOException e) {
        throw new ImageBuildException(
            "failed to write the aptsources files to " + directory + ": " + e.getMessage(), e);
      }
      return new ApplicationLayer(APT_SOURCES_LAYER, entries);
    }

    /** Returns the one-line-style entries for a section: deb, and deb-src unless omitdebsrc. */
    static String lines(Section section, String architecture) {
      String source = section.value("source").map(Value::text).orElse("");
      String suite = section.value("suite").map(Value::text).orElse("");
      if (source.isEmpty() || suite.isEmpty()) {
        throw new ImageBuildException(
            "aptsources section " + section.where() + " needs source= and suite=");
      }
      String components =
          section.value("components").map(Value::text).filter(text -> !text.isEmpty()).orElse("main");
      StringBuilder text = new StringBuilder();
      text.append("deb [arch=").append(architecture).append("] ")
          .append(source).append(' ').append(suite).append(' ').append(components).append('\n');
      boolean omitDebSrc = section.value("omitdebsrc").map(MultistrapImport::bool).orElse(false);
      if (!omitDebSrc) {
        text.append("deb-src ").append(source).append(' ').append(suite).append(' ')
            .append(components).append('\n');
      }
      return text.toString();
    }
  }
}
