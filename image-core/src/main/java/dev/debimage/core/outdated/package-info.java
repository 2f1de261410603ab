/**
 * {@code image:outdated}: compares a lockfile, or the packages of the last build, with what the
 * archive offers now, and marks the newer versions that come from a security suite.
 */
package dev.debimage.core.outdated;
