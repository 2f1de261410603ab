package dev.debimage.core.layers;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.EntryType;
import dev.debimage.core.assembly.FileEntry;
import dev.debimage.core.assembly.FileTree;
import dev.debimage.core.deb822.Deb822;
import dev.debimage.core.deb822.Stanza;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits an assembled root filesystem into a few layers, so that images built from the same
 * packages share most of their layers and adding one package changes few of them.
 *
 * <p>The rule, in layer order:
 *
 * <ol>
 *   <li>{@code base}: the packages named as base roots ({@code libc6} by default), the packages
 *       with {@code Priority: required} or {@code important}, and everything they depend on
 *       through {@code Depends} and {@code Pre-Depends} within the installed set.
 *   <li>One layer per large package: each other package whose files hold at least the budget of
 *       bytes gets a layer of its own, the largest first, while the layer count stays within the
 *       maximum. These layers are ordered by package name.
 *   <li>{@code packages}: every other package.
 *   <li>{@code dpkg-database}: the dpkg database under {@code var/lib/dpkg} and every path the build
 *       generated (accounts, the CA bundle, the Java trust store, alternatives, the time zone),
 *       because they change whenever the package set changes.
 * </ol>
 *
 * <p>Each layer also contains the parent directories of its paths, with the same metadata in every
 * layer, so that no layer depends on the order in which a runtime applies them. A hard link goes
 * into the layer of the file it links to. The package fields come from {@code var/lib/dpkg/status}
 * in the tree, which the assembler writes from each .deb's control file, so a locked build and an
 * unlocked one split the same way.
 *
 * @param budgetBytes the size of a package's files, in bytes, from which it gets a layer of its own
 * @param maxLayers the maximum number of layers, at least 3 (base, packages, dpkg database)
 * @param baseRoots the packages whose dependency closure forms the base layer
 */
public record PackageLayering(long budgetBytes, int maxLayers, Set<String> baseRoots) {

  /** The default budget: 16 MiB, which a Java runtime or an ICU data library exceeds. */
  public static final long DEFAULT_BUDGET_BYTES = 16L << 20;

  /** The default maximum number of layers of installed packages. */
  public static final int DEFAULT_MAX_LAYERS = 8;

  /** The default split. */
  public static final PackageLayering DEFAULT =
      new PackageLayering(DEFAULT_BUDGET_BYTES, DEFAULT_MAX_LAYERS, Set.of("libc6"));

  /** The name of the layer of base packages. */
  public static final String BASE = "base";

  /** The name of the layer of the packages that have no layer of their own. */
  public static final String PACKAGES = "packages";

  /** The name of the last layer: the dpkg database and the generated files. */
  public static final String DATABASE = "dpkg-database";

  private static final String STATUS_FILE = "var/lib/dpkg/status";
  private static final String DPKG_DIRECTORY = "var/lib/dpkg";

  public PackageLayering {
    if (budgetBytes < 1) {
      throw new ImageBuildException(
          "invalid layer budget " + budgetBytes + " bytes: use a positive size, such as 16777216");
    }
    if (maxLayers < 3) {
      throw new ImageBuildException(
          "invalid maximum layer count " + maxLayers + ": use 3 or more (base, packages and the"
              + " dpkg database)");
    }
    baseRoots = Set.copyOf(baseRoots);
  }

  /** Returns the settings as one line for cache keys, with the base roots sorted. */
  public String cacheKey() {
    return "layering budget=" + budgetBytes + " max=" + maxLayers + " roots=" + new TreeSet<>(baseRoots);
  }

  /**
   * One layer of the split.
   *
   * @param name {@link #BASE}, {@link #PACKAGES}, {@link #DATABASE}, or the package name of a
   *     layer of one large package
   * @param packages the names of the packages whose files the layer contains, sorted; for {@link
   *     #DATABASE}, every installed package
   * @param entries the paths of the layer in tree order, parents before their children
   */
  public record Group(String name, List<String> packages, List<FileEntry> entries) {
    public Group {
      packages = List.copyOf(packages);
      entries = List.copyOf(entries);
    }
  }

  /**
   * Splits {@code tree} into layers. Layers without packages or paths are left out, except the
   * database layer, which every assembled tree has.
   *
   * @throws ImageBuildException if the tree lacks {@code var/lib/dpkg/status}
   */
  public List<Group> split(FileTree tree) {
    Map<String, Stanza> installed = installedPackages(tree);
    Set<String> base = baseClosure(installed);
    Map<String, Long> sizes = packageSizes(tree);

    List<String> large = new ArrayList<>();
    installed.keySet().stream()
        .filter(name -> !base.contains(name))
        .filter(name -> sizes.getOrDefault(name, 0L) >= budgetBytes)
        .sorted(Comparator.comparing((String name) -> sizes.get(name)).reversed()
            .thenComparing(Comparator.naturalOrder()))
        .limit(maxLayers - 3L)
        .forEach(large::add);
    large.sort(Comparator.naturalOrder());

    Map<String, String> layerOf = new HashMap<>();
    installed.keySet().forEach(name -> layerOf.put(name, PACKAGES));
    base.forEach(name -> layerOf.put(name, BASE));
    large.forEach(name -> layerOf.put(name, name));

    List<String> order = new ArrayList<>();
    order.add(BASE);
    order.addAll(large);
    order.add(PACKAGES);
    order.add(DATABASE);

    Map<String, Set<String>> paths = new HashMap<>();
    order.forEach(name -> paths.put(name, new HashSet<>()));
    for (FileEntry entry : tree.entries()) {
      String layer = layerOfEntry(tree, entry, layerOf);
      Set<String> members = paths.get(layer);
      members.add(entry.path());
      addParents(members, entry.path());
    }

    List<Group> groups = new ArrayList<>();
    for (String name : order) {
      TreeSet<String> packages = new TreeSet<>();
      if (name.equals(DATABASE)) {
        packages.addAll(installed.keySet());
      } else {
        layerOf.forEach((pkg, layer) -> {
          if (layer.equals(name)) {
            packages.add(pkg);
          }
        });
      }
      Set<String> members = paths.get(name);
      if (!name.equals(DATABASE) && packages.isEmpty() && members.isEmpty()) {
        continue;
      }
      List<FileEntry> entries = new ArrayList<>();
      for (FileEntry entry : tree.entries()) {
        if (members.contains(entry.path())) {
          entries.add(entry);
        }
      }
      groups.add(new Group(name, new ArrayList<>(packages), entries));
    }
    return groups;
  }

  /** Returns the layer that a path belongs to, before its parents are added. */
  private static String layerOfEntry(FileTree tree, FileEntry entry, Map<String, String> layerOf) {
    String path = entry.path();
    if (path.equals(DPKG_DIRECTORY) || path.startsWith(DPKG_DIRECTORY + "/")) {
      return DATABASE;
    }
    FileEntry owned = entry;
    if (entry.type() == EntryType.HARDLINK) {
      // Some runtimes unpack each layer on its own, and a hard link needs its target in the same
      // tar, so the link goes into the layer of the file it links to.
      owned = tree.get(entry.linkTarget()).orElse(entry);
    }
    if (owned.owner() == null) {
      return DATABASE;
    }
    return layerOf.getOrDefault(owned.owner(), PACKAGES);
  }

  /** Adds every parent directory of {@code path} below the root. */
  private static void addParents(Set<String> members, String path) {
    int slash = path.lastIndexOf('/');
    while (slash > 0) {
      String parent = path.substring(0, slash);
      if (!members.add(parent)) {
        return;
      }
      slash = parent.lastIndexOf('/');
    }
  }

  /** Reads the installed packages from the tree's dpkg status file, keyed by package name. */
  private static Map<String, Stanza> installedPackages(FileTree tree) {
    FileEntry status = tree.get(STATUS_FILE)
        .filter(entry -> entry.type() == EntryType.REGULAR)
        .orElseThrow(() -> new ImageBuildException(
            "the assembled tree lacks /" + STATUS_FILE + ", so its packages cannot be split into"
                + " layers: assemble the tree with Assembler, which writes the dpkg database"));
    String text;
    try {
      text = new String(status.content().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to read /" + STATUS_FILE + " of the assembled tree", e);
    }
    Map<String, Stanza> installed = new TreeMap<>();
    for (Stanza stanza : Deb822.parse(text, "/" + STATUS_FILE)) {
      installed.put(stanza.require("Package", "/" + STATUS_FILE), stanza);
    }
    return installed;
  }

  /**
   * Returns the base roots, the required and important packages, and their dependencies within
   * the installed set. Every alternative of an or-group that is installed counts, so the closure
   * does not depend on which alternative the resolver chose first.
   */
  private Set<String> baseClosure(Map<String, Stanza> installed) {
    Set<String> closure = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    for (Map.Entry<String, Stanza> pkg : installed.entrySet()) {
      String priority = pkg.getValue().get("Priority", "");
      if (baseRoots.contains(pkg.getKey()) || priority.equals("required") || priority.equals("important")) {
        pending.add(pkg.getKey());
      }
    }
    while (!pending.isEmpty()) {
      String name = pending.poll();
      if (!closure.add(name)) {
        continue;
      }
      Stanza stanza = installed.get(name);
      for (String field : List.of("Pre-Depends", "Depends")) {
        for (String dependency : dependencyNames(stanza.get(field, ""))) {
          if (installed.containsKey(dependency) && !closure.contains(dependency)) {
            pending.add(dependency);
          }
        }
      }
    }
    return closure;
  }

  /** Returns the package names of a relationship field, every alternative included. */
  static List<String> dependencyNames(String field) {
    List<String> names = new ArrayList<>();
    for (String group : field.split(",")) {
      for (String alternative : group.split("\\|")) {
        String text = alternative.strip();
        int end = 0;
        while (end < text.length() && " (:[<\t\n".indexOf(text.charAt(end)) < 0) {
          end++;
        }
        if (end > 0) {
          names.add(text.substring(0, end));
        }
      }
    }
    return names;
  }

  /** Returns the bytes of regular file content each package owns in the tree. */
  private static Map<String, Long> packageSizes(FileTree tree) {
    Map<String, Long> sizes = new HashMap<>();
    for (FileEntry entry : tree.entries()) {
      if (entry.type() == EntryType.REGULAR && entry.owner() != null && entry.content() != null) {
        sizes.merge(entry.owner(), entry.content().size(), Long::sum);
      }
    }
    return sizes;
  }
}
