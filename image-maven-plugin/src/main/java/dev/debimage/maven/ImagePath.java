package dev.debimage.maven;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.assembly.PathDirective;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * A {@code <path>} of the pom's {@code <paths>}: a directory, file, symbolic link or permission
 * change in the image, as apko's {@code paths} entries are.
 */
public class ImagePath {

  /** {@code directory}, {@code file}, {@code symlink} or {@code permissions}. */
  private String type;

  /** The absolute path in the image. */
  private String path;

  /** The octal mode, such as {@code 0755}; for directories and files 0755 and 0644 by default. */
  private String mode;

  /** The numeric owner; root by default, unchanged for {@code permissions}. */
  private Long uid;

  /** The numeric group; root by default, unchanged for {@code permissions}. */
  private Long gid;

  /** The text content of a {@code file}, written as UTF-8. */
  private String content;

  /** A project file whose bytes a {@code file} gets instead of {@code content}. */
  private File source;

  /** The target of a {@code symlink}. */
  private String target;

  /** Whether {@code permissions} also change everything below a directory. */
  private boolean recursive;

  public void setType(String type) {
    this.type = type;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public void setUid(Long uid) {
    this.uid = uid;
  }

  public void setGid(Long gid) {
    this.gid = gid;
  }

  public void setContent(String content) {
    this.content = content;
  }

  public void setSource(File source) {
    this.source = source;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public void setRecursive(boolean recursive) {
    this.recursive = recursive;
  }

  /** Returns the directive as image-core takes it; a missing or invalid value is an error. */
  PathDirective toDirective() {
    if (path == null || path.isBlank()) {
      throw new ImageBuildException("a <path> has no <path> element: set the absolute path");
    }
    String where = path.strip();
    String kind = type == null ? "" : type.strip();
    long owner = uid == null ? 0 : uid;
    long group = gid == null ? 0 : gid;
    switch (kind) {
      case "directory":
        return new PathDirective.Directory(where, parsedMode(0755), owner, group);
      case "file":
        return new PathDirective.File(where, fileContent(where), parsedMode(0644), owner, group);
      case "symlink":
        return new PathDirective.Symlink(where, target);
      case "permissions":
        return new PathDirective.Permissions(where,
            mode == null ? null : PathDirective.parseMode(mode, where), uid, gid, recursive);
      default:
        throw new ImageBuildException("invalid <type> '" + type + "' of path " + where
            + ": use directory, file, symlink or permissions");
    }
  }

  private int parsedMode(int defaultMode) {
    return mode == null ? defaultMode : PathDirective.parseMode(mode, path.strip());
  }

  private byte[] fileContent(String where) {
    if (source != null && content != null) {
      throw new ImageBuildException(
          "path " + where + " sets both <content> and <source>: keep one");
    }
    if (source == null) {
      return (content == null ? "" : content).getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Files.readAllBytes(source.toPath());
    } catch (IOException e) {
      throw new ImageBuildException("failed to read <source> " + source + " of path " + where
          + ": " + e.getMessage(), e);
    }
  }
}
