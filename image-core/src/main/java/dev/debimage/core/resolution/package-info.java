/**
 * The resolution stage: Debian version ordering, relationship fields, and the resolver that
 * chooses which binary packages go into an image.
 */
package dev.debimage.core.resolution;
