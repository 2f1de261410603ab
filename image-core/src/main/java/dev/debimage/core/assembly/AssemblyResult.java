package dev.debimage.core.assembly;

/**
 * The assembled root filesystem and what the path filters dropped from it.
 *
 * @param tree the root filesystem
 * @param filteredFiles the number of package members that the path filters dropped
 * @param filteredBytes the content bytes of the regular files that the path filters dropped
 */
public record AssemblyResult(FileTree tree, long filteredFiles, long filteredBytes) {}
