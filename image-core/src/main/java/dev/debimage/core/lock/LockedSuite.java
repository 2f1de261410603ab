package dev.debimage.core.lock;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A suite whose Release file was verified when the lockfile was written.
 *
 * @param uri the source URI (the archive root)
 * @param suite the suite name as configured, such as {@code bookworm-updates}
 * @param date the Release file's {@code Date} field, empty when the file has none
 */
public record LockedSuite(URI uri, String suite, Optional<Instant> date) {

  public LockedSuite {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(date, "date");
  }
}
