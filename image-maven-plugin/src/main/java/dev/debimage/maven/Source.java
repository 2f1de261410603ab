package dev.debimage.maven;

/**
 * A package source in the pom, named as in apt's deb822 sources format. Lists are separated by
 * whitespace, as in a {@code .sources} file.
 */
public class Source {

  /** Archive roots, such as {@code http://MIRROR/debian}. Required. */
  private String uris;

  /** Suites, such as {@code bookworm bookworm-updates}. Required. */
  private String suites;

  /** Components, such as {@code main}. Defaults to {@code main}. */
  private String components = "main";

  /**
   * The keys that must sign the source's Release files: keyring files (binary or ASCII-armored),
   * folders of them, an armored key block, or {@code bundled:debian} or {@code bundled:ubuntu}.
   * Defaults to the bundled Debian and Ubuntu archive keys.
   */
  private String signedBy;

  /**
   * The image architectures this source serves, such as {@code arm64}. A build for another
   * architecture does not read the source. Defaults to every architecture.
   */
  private String architectures;

  /**
   * Accepts signatures by expired keys that are not revoked, with a warning naming the key. For
   * snapshot archives signed by keys that have expired since. Defaults to false.
   */
  private boolean allowExpiredKeys;

  /**
   * Uses this source without checking its signatures, as apt's {@code trusted=yes} does. Each
   * suite gets a warning, and the image's {@code dev.debimage.unverified-sources} label lists the
   * source's URIs. Defaults to false.
   */
  private boolean trusted;

  public String getUris() {
    return uris;
  }

  public void setUris(String uris) {
    this.uris = uris;
  }

  public String getSuites() {
    return suites;
  }

  public void setSuites(String suites) {
    this.suites = suites;
  }

  public String getComponents() {
    return components;
  }

  public void setComponents(String components) {
    this.components = components;
  }

  public String getSignedBy() {
    return signedBy;
  }

  public void setSignedBy(String signedBy) {
    this.signedBy = signedBy;
  }

  public String getArchitectures() {
    return architectures;
  }

  public void setArchitectures(String architectures) {
    this.architectures = architectures;
  }

  public boolean isAllowExpiredKeys() {
    return allowExpiredKeys;
  }

  public void setAllowExpiredKeys(boolean allowExpiredKeys) {
    this.allowExpiredKeys = allowExpiredKeys;
  }

  public boolean isTrusted() {
    return trusted;
  }

  public void setTrusted(boolean trusted) {
    this.trusted = trusted;
  }
}
