package dev.debimage.core.multistrap;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys that the multistrap manual (multistrap 2.2.11) documents, each with how this project
 * treats it. docs/multistrap.md repeats this table, and a test checks that the two agree.
 */
public final class MultistrapKeys {

  /** The kind of section that a key belongs to. */
  public enum Scope {
    /** The {@code [General]} section. */
    GENERAL,
    /** A repository section, such as {@code [Debian]}. */
    REPOSITORY
  }

  /** The treatment of a key in this project. */
  public enum Status {
    /** Honoured as multistrap honours it. */
    SUPPORTED("supported"),
    /** Accepted, with the difference that the note describes. */
    DIFFERENT("supported with a difference"),
    /** Rejected whenever its value requests something other than multistrap's default. */
    REJECTED("rejected");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** Returns the status as docs/multistrap.md writes it. */
    public String label() {
      return label;
    }
  }

  /**
   * One documented key.
   *
   * @param name the key, lower-case
   * @param scope where it may appear
   * @param status how it is treated
   * @param note what it does here, the difference, or why it is rejected
   */
  public record Key(String name, Scope scope, Status status, String note) {}

  /** Every documented key, in the order of docs/multistrap.md. */
  public static final List<Key> ALL =
      List.of(
          general("arch", Status.SUPPORTED, "sets the image architecture"),
          general("directory", Status.DIFFERENT,
              "ignored with a note: the image is written to the build's output directory"),
          general("cleanup", Status.DIFFERENT,
              "ignored with a note: the image never contains apt's lists or package cache"),
          general("noauth", Status.DIFFERENT,
              "false is accepted; true is rejected because every Release file's signature is"
                  + " always checked"),
          general("unpack", Status.DIFFERENT,
              "true is accepted; false is rejected because an image build always unpacks the"
                  + " packages"),
          general("forceunpack", Status.DIFFERENT, "older name of unpack, treated the same way"),
          general("explicitsuite", Status.REJECTED,
              "true is rejected: the resolver takes the newest version from all suites and cannot"
                  + " pin a package to one suite"),
          general("multiarch", Status.REJECTED,
              "a non-empty value is rejected: an image has one architecture"),
          general("aptsources", Status.DIFFERENT,
              "each section becomes /etc/apt/sources.list.d/multistrap-SECTION.list in a layer"
                  + " of its own, named apt-sources"),
          general("bootstrap", Status.SUPPORTED,
              "the listed sections give the sources and the packages"),
          general("debootstrap", Status.SUPPORTED, "older name of bootstrap"),
          general("omitrequired", Status.SUPPORTED,
              "true stops adding the packages with Priority: required"),
          general("addimportant", Status.SUPPORTED,
              "true adds the packages with Priority: important; rejected together with"
                  + " omitrequired=true, as multistrap rejects it"),
          general("allowrecommends", Status.SUPPORTED,
              "true also installs the Recommends of the chosen packages, as installRecommends does"),
          general("configscript", Status.DIFFERENT,
              "copied into the root directory as multistrap copies it, and also run there in a"
                  + " chroot after dpkg --configure -a, so it needs maintainerScripts set to auto,"
                  + " root or unshare; a missing or non-executable script is rejected"),
          general("setupscript", Status.DIFFERENT,
              "run on the build host as SCRIPT ROOT ARCH once the packages are unpacked, on a"
                  + " temporary copy of the tree; a missing or non-executable script is rejected, and"
                  + " a non-zero exit fails the build"),
          general("hookdir", Status.DIFFERENT,
              "download and completion hooks run as HOOK ROOT, native hooks as HOOK ROOT start and"
                  + " HOOK ROOT end around dpkg --configure -a, only with maintainerScripts on;"
                  + " download hooks run after unpacking, as multistrap 2.2.11 runs them; a non-zero"
                  + " exit fails the build"),
          general("include", Status.DIFFERENT,
              "paths are relative to the including file; the including file's values take"
                  + " precedence, also for true/false keys; a repository section may be defined in"
                  + " only one file"),
          general("tarballname", Status.DIFFERENT,
              "ignored with a note: the build writes the image as oci/ and image.tar instead"),
          general("retainsources", Status.REJECTED,
              "a value other than empty or false is rejected: source packages are not"
                  + " downloaded"),
          general("ignorenativearch", Status.DIFFERENT,
              "accepted with a note: packages are never configured, because no maintainer"
                  + " script runs"),
          general("omitpreinst", Status.DIFFERENT,
              "with maintainerScripts on, true skips running each preinst with install before"
                  + " dpkg --configure -a, and false runs every one, bash's too, which multistrap"
                  + " skips; without maintainerScripts no preinst runs, whatever the value"),
          general("markauto", Status.DIFFERENT,
              "accepted with a note: apt's extended_states file is not written, so apt in the"
                  + " image treats every package as manually installed"),
          general("aptpreferences", Status.REJECTED,
              "a non-empty value is rejected: the resolver does not read apt preferences"),
          general("aptdefaultrelease", Status.DIFFERENT,
              "empty or * is accepted, since the resolver takes the newest version from all"
                  + " suites; a release name is rejected"),
          general("debconfseed", Status.REJECTED,
              "a non-empty value is rejected: debconf does not run during the build"),
          repository("packages", Status.SUPPORTED,
              "requested with their dependencies; repeated packages= lines add up"),
          repository("source", Status.DIFFERENT,
              "http, https and file URIs; copy:// is read as file://; the flat repository form"
                  + " is rejected"),
          repository("keyring", Status.SUPPORTED,
              "debian-archive-keyring and ubuntu-keyring select the bundled Debian and Ubuntu"
                  + " archive keys; any other keyring package is fetched from a section that"
                  + " verifies with keys already trusted, and its keyring files verify the section"
                  + " that names it; the keyring packages are also installed"),
          repository("suite", Status.SUPPORTED, "required"),
          repository("components", Status.SUPPORTED, "defaults to main"),
          repository("omitdebsrc", Status.SUPPORTED,
              "true leaves out the deb-src line of the aptsources file"),
          repository("architecture", Status.REJECTED,
              "a non-empty value is rejected: an image has one architecture"),
          repository("reinstall", Status.DIFFERENT,
              "accepted with a note: no maintainer script runs, so there is nothing to repeat"),
          repository("additional", Status.DIFFERENT,
              "requested together with packages, in one resolution instead of a second round"));

  private MultistrapKeys() {}

  /** Returns the documented key {@code name} (any case) for {@code scope}, if there is one. */
  public static Optional<Key> find(String name, Scope scope) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(key -> key.name().equals(lower) && key.scope() == scope).findFirst();
  }

  private static Key general(String name, Status status, String note) {
    return new Key(name, Scope.GENERAL, status, note);
  }

  private static Key repository(String name, Status status, String note) {
    return new Key(name, Scope.REPOSITORY, status, note);
  }
}
