package dev.debimage.core.assembly;

/** The file types a root filesystem layer carries. */
public enum EntryType {
  DIRECTORY,
  REGULAR,
  SYMLINK,
  HARDLINK
}
