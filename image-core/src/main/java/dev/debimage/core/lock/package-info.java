/**
 * The lockfile {@code image.lock.json}: the resolved package set with each {@code .deb}'s SHA256,
 * written by {@code image:lock} and read by builds that skip index loading and resolution.
 */
package dev.debimage.core.lock;
