package dev.debimage.core.assembly;

import dev.debimage.core.indexes.BinaryPackage;
import java.nio.file.Path;

/**
 * A package to install and its verified package file.
 *
 * @param binaryPackage the stanza from the Packages index, whose {@code SHA256} names the cache
 *     entry
 * @param debFile the downloaded {@code .deb}, already checked against {@code SHA256}
 */
public record AssemblyInput(BinaryPackage binaryPackage, Path debFile) {}
