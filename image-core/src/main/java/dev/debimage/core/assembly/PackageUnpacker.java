package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
      for (TarEntryRef ref : archive.entries()) {
        boolean added = tree.addPackageEntry(name, ref, options.buildTimestamp(),
            owner -> replaces.replaces(owner, versions.getOrDefault(owner, "0"))).isPresent();
        if (added) {
          shipped.add("/" + PathNames.normalize(ref.name(), "package " + name));
        }
      }
      unpacked.add(new UnpackedPackage(input.binaryPackage(), archive, List.copyOf(shipped)));
    }
    return unpacked;
  }
}
