/**
 * Assembles a root filesystem from verified package files: {@link
 * dev.debimage.core.assembly.Assembler} unpacks each data tar into a {@link
 * dev.debimage.core.assembly.FileTree} that refers to content in a cache of decompressed data
 * tars, then writes what maintainer scripts would have written.
 */
package dev.debimage.core.assembly;
