package dev.debimage.core.assembly;

import dev.debimage.core.ImageBuildException;
import java.util.ArrayList;
import java.util.List;

/** Normalizes the member names of a data tar into root filesystem paths and rejects hostile ones. */
public final class PathNames {

  private PathNames() {}

  /**
   * Returns {@code name} without its leading {@code ./}, {@code .} components, repeated slashes
   * and trailing slash; returns an empty string for the root itself. Rejects absolute names and
   * {@code ..} components, because either could place a file outside the root.
   */
  public static String normalize(String name, String where) {
    String rest = name;
    if (rest.startsWith("./")) {
      rest = rest.substring(2);
    } else if (rest.equals(".")) {
      return "";
    }
    if (rest.startsWith("/")) {
      throw new ImageBuildException(
          "rejected absolute path '" + name + "' in " + where
              + ": package members must be relative to the root");
    }
    List<String> parts = new ArrayList<>();
    for (String part : rest.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new ImageBuildException(
            "rejected path '" + name + "' in " + where
                + ": a '..' component could write outside the root");
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  /** Returns the parent of a normalized path, or an empty string for a top-level path. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** Returns the last component of a normalized path. */
  public static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Resolves a symbolic link target lexically against the directory that contains the link. An
   * absolute target starts at the root and {@code ..} stops at the root, as for a process
   * confined to the image's root filesystem.
   */
  public static String resolveLink(String linkDirectory, String target) {
    List<String> parts = new ArrayList<>();
    if (!target.startsWith("/") && !linkDirectory.isEmpty()) {
      parts.addAll(List.of(linkDirectory.split("/")));
    }
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }
}
