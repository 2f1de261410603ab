package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

    List<UnpackedPackage> unpacked = new ArrayList<>();
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
      ReplacesField replaces = ReplacesField.parse(
          archive.control().get("Replaces", ""), "package " + name);
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
        boolean added = tree.addPackageEntry(name, ref, options.buildTimestamp(),
            owner -> replaces.replaces(owner, versions.getOrDefault(owner, "0"))).isPresent();
        if (added) {
          shipped.add(member);
        }
      }
      unpacked.add(new UnpackedPackage(input.binaryPackage(), archive, List.copyOf(shipped),
          filtered.size(), filteredBytes));
    }
    return unpacked;
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
