package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Places every package's data tar members into the tree, packages in name order. */
public final class PackageUnpacker {

  private PackageUnpacker() {}

  /**
   * Opens each package file, adds its members to {@code tree} and returns the packages in the
   * order they were unpacked. Rejects two packages of the same name.
   */
  public static List<UnpackedPackage> unpack(
      List<AssemblyInput> inputs, AssemblyOptions options, FileTree tree) {
    return unpack(inputs, options, tree, new Diversions());
  }

  /**
   * Unpacks as {@link #unpack(List, AssemblyOptions, FileTree)} does, after reading the
   * {@code dpkg-divert} calls of every package's preinst into {@code diversions}. A diversion
   * applies to the other packages whatever their order, which is what dpkg gives when the
   * diverting package is unpacked first, or with {@code --rename} in any order.
   */
  public static List<UnpackedPackage> unpack(
      List<AssemblyInput> inputs, AssemblyOptions options, FileTree tree, Diversions diversions) {
    List<AssemblyInput> sorted = new ArrayList<>(inputs);
    sorted.sort(Comparator.comparing(input -> input.binaryPackage().name()));
    Map<String, String> versions = new HashMap<>();
    for (AssemblyInput input : sorted) {
      String name = input.binaryPackage().name();
      if (versions.put(name, input.binaryPackage().version()) != null) {
        throw new ImageBuildException(
            "package " + name + " is listed twice in the package list; keep one version");
      }
    }
    Map<String, ReplacesField> replacesByPackage = new HashMap<>();

    List<DebArchive> archives = new ArrayList<>();
    for (AssemblyInput input : sorted) {
      String name = input.binaryPackage().name();
      DebArchive archive = DebArchive.open(
          input.debFile(), options.cacheDir(), input.binaryPackage().sha256());
      String controlName = archive.control().get("Package", "");
      if (!controlName.equals(name)) {
        throw new ImageBuildException(
            "package file " + input.debFile() + " contains package '" + controlName
                + "', but the Packages index lists it as " + name
                + "; delete the file so that it is downloaded again");
      }
      archives.add(archive);
      replacesByPackage.put(name, ReplacesField.parse(
          archive.control().get("Replaces", ""), "package " + name));
      Optional<String> preinst = archive.maintainerScript("preinst");
      if (preinst.isPresent()) {
        ScriptEffects effects = MaintainerScriptReader.read(name,
            input.binaryPackage().architecture(), "preinst", preinst.get(), tree);
        effects.diversions().forEach(diversions::add);
        effects.unreadable().forEach(options.listener()::warn);
      }
    }

    List<UnpackedPackage> unpacked = new ArrayList<>();
    for (int index = 0; index < sorted.size(); index++) {
      AssemblyInput input = sorted.get(index);
      DebArchive archive = archives.get(index);
      String name = input.binaryPackage().name();
      ReplacesField replaces = replacesByPackage.get(name);
      String version = input.binaryPackage().version();
      List<String> shipped = new ArrayList<>();
      Set<String> filtered = new HashSet<>();
      long filteredBytes = 0;
      for (TarEntryRef ref : archive.entries()) {
        String member = "/" + PathNames.normalize(ref.name(), "package " + name);
        if (!member.equals("/") && isFiltered(options.pathFilters(), ref, member, filtered)) {
          // dpkg lists a filtered member in the package's .list file but does not unpack it.
          shipped.add(member);
          filtered.add(member);
          filteredBytes += ref.kind() == TarEntryRef.Kind.REGULAR ? ref.size() : 0;
          continue;
        }
        boolean added = tree.addPackageEntry(name, divert(diversions, name, ref),
            options.buildTimestamp(),
            owner -> replaces.replaces(owner, versions.getOrDefault(owner, "0")),
            owner -> replacesByPackage.containsKey(owner)
                && replacesByPackage.get(owner).replaces(name, version)).isPresent();
        if (added) {
          shipped.add(member);
        }
      }
      unpacked.add(new UnpackedPackage(input.binaryPackage(), archive, List.copyOf(shipped),
          filtered.size(), filteredBytes));
    }
    return withoutReplacedFiles(unpacked, tree, diversions);
  }

  /**
   * Drops from each package's list the files that a later package took over through
   * {@code Replaces}, as dpkg removes them from the old package's {@code .list} file.
   */
  private static List<UnpackedPackage> withoutReplacedFiles(
      List<UnpackedPackage> unpacked, FileTree tree, Diversions diversions) {
    List<UnpackedPackage> result = new ArrayList<>();
    for (UnpackedPackage pkg : unpacked) {
      List<String> kept = new ArrayList<>();
      for (String member : pkg.shippedPaths()) {
        String relative = member.substring(1);
        FileEntry entry = tree.get(MergedUsr.fold(relative)).orElse(null);
        boolean takenOver = entry != null && !entry.isDirectory() && entry.owner() != null
            && !entry.owner().equals(pkg.name())
            && tree.shippedName(entry.path()).orElse("").equals(relative)
            && diversions.find(pkg.name(), relative).isEmpty();
        if (!takenOver) {
          kept.add(member);
        }
      }
      result.add(kept.size() == pkg.shippedPaths().size() ? pkg
          : new UnpackedPackage(pkg.binaryPackage(), pkg.archive(), List.copyOf(kept),
              pkg.filteredFiles(), pkg.filteredBytes()));
    }
    return result;
  }

  /**
   * Returns the member renamed to its diverted path when a diversion applies to it, and the
   * target of a hard link renamed likewise.
   */
  private static TarEntryRef divert(Diversions diversions, String packageName, TarEntryRef ref) {
    if (diversions.isEmpty()) {
      return ref;
    }
    String where = "package " + packageName;
    String name = ref.name();
    Optional<Diversion> diversion =
        diversions.find(packageName, PathNames.normalize(ref.name(), where));
    if (diversion.isPresent()) {
      name = "." + diversion.get().divertedTo();
    }
    String linkName = ref.linkName();
    if (ref.kind() == TarEntryRef.Kind.HARDLINK) {
      Optional<Diversion> target =
          diversions.find(packageName, PathNames.normalize(ref.linkName(), where));
      if (target.isPresent()) {
        linkName = "." + target.get().divertedTo();
      }
    }
    if (name.equals(ref.name()) && linkName.equals(ref.linkName())) {
      return ref;
    }
    return new TarEntryRef(name, ref.kind(), ref.mode(), ref.uid(), ref.gid(), ref.mtime(),
        linkName, ref.dataTar(), ref.dataOffset(), ref.size());
  }

  /**
   * Returns whether the path filters drop a member. A hard link to a dropped file is dropped
   * too, because the file it shares content with is not unpacked.
   */
  private static boolean isFiltered(
      PathFilters filters, TarEntryRef ref, String member, Set<String> filteredSoFar) {
    if (filters.isEmpty()) {
      return false;
    }
    if (ref.kind() == TarEntryRef.Kind.HARDLINK) {
      String target = "/" + PathNames.normalize(ref.linkName(), "hard link " + ref.name());
      if (filteredSoFar.contains(target)) {
        return true;
      }
    }
    boolean directoryOrSymlink =
        ref.kind() == TarEntryRef.Kind.DIRECTORY || ref.kind() == TarEntryRef.Kind.SYMLINK;
    return filters.excludes(member, directoryOrSymlink);
  }
}
