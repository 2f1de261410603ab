/**
 * Following the archive as it moves: {@code image:outdated} compares a lockfile, or the packages
 * of the last build, with what the archive offers now and marks security updates, and the
 * provenance labels record which state of the archive an image was built from.
 */
package dev.debimage.core.outdated;
