package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;

/**
 * One alternative of a relationship field, such as {@code libc6 (>= 2.36)} or {@code python3:any}.
 *
 * @param name the package name, real or virtual
 * @param archQualifier the architecture qualifier after {@code :}, such as {@code any} or {@code
 *     native}, or null when there is none
 * @param operator the version relation, or null when the constraint has no version
 * @param version the version the relation compares against, or null when there is none
 */
public record PackageConstraint(
    String name, String archQualifier, Operator operator, DebianVersion version) {

  /** A version relation of a relationship field (Debian Policy 7.1). */
  public enum Operator {
    /** {@code <<}: strictly earlier. */
    LT("<<"),
    /** {@code <=}: earlier or equal. The obsolete {@code <} means the same. */
    LE("<="),
    /** {@code =}: exactly equal. */
    EQ("="),
    /** {@code >=}: later or equal. The obsolete {@code >} means the same. */
    GE(">="),
    /** {@code >>}: strictly later. */
    GT(">>");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** Returns the operator as written in control files, such as {@code >=}. */
    public String symbol() {
      return symbol;
    }

    /**
     * Returns the operator for its spelling in a control file, including the obsolete {@code <}
     * (meaning {@code <=}) and {@code >} (meaning {@code >=}).
     *
     * @throws ImageBuildException when the spelling is not a relation
     */
    public static Operator fromSymbol(String symbol) {
      switch (symbol) {
        case "<<":
          return LT;
        case "<=":
        case "<":
          return LE;
        case "=":
          return EQ;
        case ">=":
        case ">":
          return GE;
        case ">>":
          return GT;
        default:
          throw new ImageBuildException(
              "invalid version relation '" + symbol + "': expected one of << <= = >= >>");
      }
    }

    /** Returns whether a comparison result {@code candidate.compareTo(bound)} meets the relation. */
    boolean accepts(int comparison) {
      switch (this) {
        case LT:
          return comparison < 0;
        case LE:
          return comparison <= 0;
        case EQ:
          return comparison == 0;
        case GE:
          return comparison >= 0;
        default:
          return comparison > 0;
      }
    }
  }

  /** Checks that the operator and the version are either both present or both absent. */
  public PackageConstraint {
    if (name == null || name.isEmpty()) {
      throw new ImageBuildException("missing package name in a relationship");
    }
    if ((operator == null) != (version == null)) {
      throw new ImageBuildException(
          "invalid constraint on '" + name + "': a version relation needs both an operator and"
              + " a version");
    }
  }

  /** Creates a constraint with no version and no architecture qualifier. */
  public static PackageConstraint unversioned(String name) {
    return new PackageConstraint(name, null, null, null);
  }

  /** Returns whether the constraint has a version relation. */
  public boolean isVersioned() {
    return operator != null;
  }

  /**
   * Returns whether a package of this name at {@code version} meets the version relation; always
   * true for an unversioned constraint.
   *
   * @throws ImageBuildException when {@code version} is not a valid Debian version
   */
  public boolean satisfiedBy(String version) {
    return satisfiedBy(DebianVersion.parse(version));
  }

  /** Returns whether {@code version} meets the version relation; always true when unversioned. */
  public boolean satisfiedBy(DebianVersion version) {
    if (operator == null) {
      return true;
    }
    return operator.accepts(version.compareTo(this.version));
  }

  /** Returns the constraint as written in a control file, such as {@code libc6 (>= 2.36)}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(name);
    if (archQualifier != null) {
      text.append(':').append(archQualifier);
    }
    if (operator != null) {
      text.append(" (").append(operator.symbol()).append(' ').append(version).append(')');
    }
    return text.toString();
  }
}
