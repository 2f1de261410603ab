package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.indexes.IndexLoader;
import dev.debimage.core.resolution.Candidate.Provision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chooses the binary packages to install: the requested ones and their closure over {@code
 * Pre-Depends} and {@code Depends}, one version per name, honouring {@code Conflicts} and {@code
 * Breaks}.
 *
 * <p>The rules follow apt's for a single architecture. A group already met by a chosen package
 * adds nothing. Otherwise its alternatives are tried in order, and for each alternative the real
 * packages of that name newest first, then its providers. Providers are ordered by the {@code
 * Priority} field (required first), then by name, then newest first; a warning names the others.
 * When a choice leads to a dead end the search backtracks, jumping straight back to the choices
 * that caused the failure (conflict-directed backjumping), within a fixed number of attempts.
 *
 * <p>Packages of a suite whose Release file has {@code NotAutomatic: yes}, such as
 * bookworm-backports, come after every other candidate of the same name, whatever their version,
 * because apt gives such suites a pin priority of 1 or 100 against 500 for the others. Unlike apt,
 * the search still falls back to them when no other candidate works.
 *
 * <p>{@link ResolveOptions} add to this: {@code preferSuites} ranks candidates by suite before the
 * {@code NotAutomatic} rule and the version, excluded packages are never candidates, and {@code
 * installRecommends} follows {@code Recommends} after the hard dependencies, skipping with a
 * warning each group that cannot be met.
 *
 * <p>The result depends only on the set of packages and the set of requests, not on their order.
 * A Resolver is immutable after construction except for relationship fields parsed on first use,
 * so it is meant for use by one thread at a time.
 */
public final class Resolver {

  /** The number of candidates the search may try before it gives up. */
  static final int DEFAULT_MAX_ATTEMPTS = 200_000;

  private final String architecture;
  private final int maxAttempts;
  private final Map<String, List<Candidate>> candidatesByName = new HashMap<>();
  private final Map<String, List<Provision>> providersByName = new HashMap<>();
  private final Map<String, SortedSet<String>> otherArchitecturesByName = new HashMap<>();
  private final Map<String, List<Candidate>> excludedByName = new HashMap<>();
  private final Map<String, List<Provision>> excludedProvidersByName = new HashMap<>();
  private final ResolveOptions options;

  /**
   * Indexes the universe for the target {@code architecture}: packages of Architecture {@code all}
   * or of the target are candidates, the others are only mentioned in error messages.
   *
   * @param universe the packages of every configured suite, possibly several versions of a name
   * @param architecture the target Debian architecture, such as {@code amd64}
   * @throws ImageBuildException when a package has an invalid Version or Provides field
   */
  public Resolver(Collection<BinaryPackage> universe, String architecture) {
    this(universe, architecture, Set.of(), DEFAULT_MAX_ATTEMPTS);
  }

  /**
   * Indexes the universe as {@link #Resolver(Collection, String)} does, ranking the packages of
   * {@code notAutomaticSuites} below all others of the same name.
   *
   * @param notAutomaticSuites names of the suites whose Release file has {@code NotAutomatic:
   *     yes}, as {@link #notAutomaticSuites(Collection)} returns them
   */
  public Resolver(Collection<BinaryPackage> universe, String architecture, Set<String> notAutomaticSuites) {
    this(universe, architecture, notAutomaticSuites, DEFAULT_MAX_ATTEMPTS);
  }

  /**
   * Indexes the universe as {@link #Resolver(Collection, String, Set)} does, applying the excludes
   * and the suite preference of {@code options}.
   *
   * @throws ImageBuildException when {@code options} excludes an {@code Essential: yes} package
   *     without {@link ResolveOptions#forceExcludeEssential()}
   */
  public Resolver(
      Collection<BinaryPackage> universe, String architecture, Set<String> notAutomaticSuites,
      ResolveOptions options) {
    this(universe, architecture, notAutomaticSuites, DEFAULT_MAX_ATTEMPTS, options);
  }

  Resolver(Collection<BinaryPackage> universe, String architecture, int maxAttempts) {
    this(universe, architecture, Set.of(), maxAttempts);
  }

  Resolver(
      Collection<BinaryPackage> universe, String architecture, Set<String> notAutomaticSuites, int maxAttempts) {
    this(universe, architecture, notAutomaticSuites, maxAttempts, ResolveOptions.DEFAULT);
  }

  Resolver(
      Collection<BinaryPackage> universe, String architecture, Set<String> notAutomaticSuites, int maxAttempts,
      ResolveOptions options) {
    if (architecture == null || architecture.isBlank() || !architecture.strip().equals(architecture)) {
      throw new ImageBuildException(
          "invalid target architecture '" + architecture + "': expected a Debian architecture"
              + " such as amd64 or arm64");
    }
    this.architecture = architecture;
    this.maxAttempts = maxAttempts;
    this.options = options;
    Set<String> excludes = Set.copyOf(options.excludes());

    for (BinaryPackage binary : universe) {
      if (binary.architecture().equals("all") || binary.architecture().equals(architecture)) {
        Map<String, List<Candidate>> target = excludes.contains(binary.name()) ? excludedByName : candidatesByName;
        target
            .computeIfAbsent(binary.name(), name -> new ArrayList<>())
            .add(new Candidate(binary, architecture));
      } else {
        otherArchitecturesByName
            .computeIfAbsent(binary.name(), name -> new TreeSet<>())
            .add(binary.architecture());
      }
    }
    rejectEssentialExcludes(options);
    List<String> preferSuites = options.preferSuites();
    Comparator<Candidate> preferred =
        Comparator.comparingInt((Candidate candidate) -> suiteRank(preferSuites, candidate.binary.suite()))
            .thenComparing(candidate -> notAutomaticSuites.contains(candidate.binary.suite()))
            .thenComparing(Candidate.NEWEST_FIRST);
    for (List<Candidate> candidates : candidatesByName.values()) {
      candidates.sort(preferred);
      // The same package from two indexes (same version, suite, file and digest) is kept once.
      for (int i = candidates.size() - 1; i > 0; i--) {
        if (Candidate.NEWEST_FIRST.compare(candidates.get(i - 1), candidates.get(i)) == 0) {
          candidates.remove(i);
        }
      }
    }
    for (List<Candidate> candidates : candidatesByName.values()) {
      for (Candidate candidate : candidates) {
        for (Provision provision : candidate.provisions()) {
          providersByName.computeIfAbsent(provision.name(), name -> new ArrayList<>()).add(provision);
        }
      }
    }
    Comparator<Provision> providerOrder =
        Comparator.comparingInt((Provision provision) -> provision.provider().priorityRank())
            .thenComparing(provision -> provision.provider().name())
            .thenComparing(Provision::provider, preferred);
    providersByName.values().forEach(providers -> providers.sort(providerOrder));
    for (List<Candidate> candidates : excludedByName.values()) {
      for (Candidate candidate : candidates) {
        for (Provision provision : candidate.provisions()) {
          excludedProvidersByName.computeIfAbsent(provision.name(), name -> new ArrayList<>()).add(provision);
        }
      }
    }
  }

  /**
   * Returns the position of {@code suite} in the preferred suites, or their number when it is not
   * listed, so that listed suites come first in the order given.
   */
  private static int suiteRank(List<String> preferSuites, String suite) {
    int index = suite == null ? -1 : preferSuites.indexOf(suite);
    return index < 0 ? preferSuites.size() : index;
  }

  private void rejectEssentialExcludes(ResolveOptions options) {
    if (options.forceExcludeEssential()) {
      return;
    }
    for (String name : new TreeSet<>(excludedByName.keySet())) {
      for (Candidate candidate : excludedByName.get(name)) {
        if (PrioritySelector.isEssential(candidate.binary)) {
          throw new ImageBuildException(
              "package " + name + " is excluded but " + candidate.describe() + " (" + candidate.origin()
                  + ") is Essential: yes, so other packages may use it without declaring a"
                  + " dependency: remove it from the excludes, or set forceExcludeEssential to"
                  + " exclude it anyway");
        }
      }
    }
  }

  /** Returns the names of the suites whose Release file has {@code NotAutomatic: yes}. */
  public static Set<String> notAutomaticSuites(Collection<IndexLoader.Suite> suites) {
    Set<String> names = new TreeSet<>();
    for (IndexLoader.Suite suite : suites) {
      if (suite.release().stanza().get("NotAutomatic", "").strip().equalsIgnoreCase("yes")) {
        names.add(suite.name());
      }
    }
    return names;
  }

  /** Returns the target architecture. */
  public String architecture() {
    return architecture;
  }

  /**
   * Resolves the requested packages and their dependencies, and their {@code Recommends} when the
   * options ask for them.
   *
   * @param requested package names, each {@code name}, {@code name=version} or {@code name/suite};
   *     a name may also be a virtual package, which one of its providers then satisfies. A suite
   *     pin makes every choice of that name come from that suite.
   * @throws ImageBuildException when a request is malformed, excluded, or names an unknown
   *     package, version or suite, or when the dependencies cannot be satisfied. The message shows
   *     the chain of packages from the request to the problem.
   */
  public Resolution resolve(List<String> requested) {
    Map<String, String> suitePins = new TreeMap<>();
    Map<String, String> requests = parseRequests(requested, suitePins);
    if (requests.isEmpty()) {
      throw new ImageBuildException("no packages requested: name at least one package to install");
    }
    requests.forEach(this::checkRequest);
    suitePins.forEach(this::checkSuitePin);

    // Pinned requests come first because nothing else may change them; each kind is sorted by
    // name. The list is built from its end so that the first request is at the front.
    Task agenda = null;
    List<Map.Entry<String, String>> entries = new ArrayList<>(requests.entrySet());
    entries.sort(Comparator.comparing((Map.Entry<String, String> entry) -> entry.getValue() == null));
    for (int i = entries.size() - 1; i >= 0; i--) {
      String name = entries.get(i).getKey();
      String pin = entries.get(i).getValue();
      PackageConstraint constraint =
          pin == null
              ? PackageConstraint.unversioned(name)
              : new PackageConstraint(
                  name, null, PackageConstraint.Operator.EQ, DebianVersion.parse(pin));
      agenda = new Task(List.of(constraint), null, pin != null, agenda);
    }

    Search search = new Search(this, suitePins);
    Search.Failure failure = search.solve(agenda, 0);
    if (failure != null) {
      List<String> texts = new ArrayList<>(requestTexts(requests));
      texts.removeAll(suitePins.keySet());
      suitePins.forEach((name, suite) -> texts.add(name + "/" + suite));
      throw new ImageBuildException(
          "cannot resolve " + String.join(" ", new TreeSet<>(texts)) + ": " + failure.message());
    }
    if (options.installRecommends()) {
      search.followRecommends();
    }
    return search.resolution(ExcludeReport.describe(this, search.chosen()));
  }

  // Lookups used by Search.

  List<Candidate> candidates(String name) {
    return candidatesByName.getOrDefault(name, List.of());
  }

  List<Provision> providers(String name) {
    return providersByName.getOrDefault(name, List.of());
  }

  int maxAttempts() {
    return maxAttempts;
  }

  ResolveOptions options() {
    return options;
  }

  /** Returns the excluded packages of a name, for error messages and the exclude report. */
  List<Candidate> excludedCandidates(String name) {
    return excludedByName.getOrDefault(name, List.of());
  }

  /** Returns the provisions of the excluded packages for a name. */
  List<Provision> excludedProviders(String name) {
    return excludedProvidersByName.getOrDefault(name, List.of());
  }

  /**
   * Returns whether {@code candidate} meets a dependency on its own name, architecture qualifier
   * included.
   */
  boolean meetsDirectly(PackageConstraint constraint, Candidate candidate) {
    return candidate.name().equals(constraint.name())
        && constraint.satisfiedBy(candidate.version)
        && qualifierAccepts(constraint.archQualifier(), candidate);
  }

  /**
   * Returns whether a provided name meets a dependency: an unversioned Provides meets only an
   * unversioned dependency, and a versioned one meets a relation on its version.
   */
  boolean meetsByProvision(PackageConstraint constraint, Provision provision) {
    if (!provision.name().equals(constraint.name())) {
      return false;
    }
    if (constraint.isVersioned()
        && (provision.version() == null || !constraint.satisfiedBy(provision.version()))) {
      return false;
    }
    return qualifierAccepts(constraint.archQualifier(), provision.provider());
  }

  /**
   * Applies dpkg's rule for architecture qualifiers of a dependency in a build for one
   * architecture, the target, which is the image's native architecture whatever the build host's:
   * {@code :any} needs a {@code Multi-Arch: allowed} package (or a provider that is), {@code
   * :native} and the target architecture accept every candidate, since an {@code Architecture:
   * all} package counts as native, and any other architecture accepts none. {@code Multi-Arch:
   * foreign} and {@code same} change nothing here, because they only matter between packages of
   * different architectures, and every candidate is of the target or {@code all}.
   */
  private boolean qualifierAccepts(String qualifier, Candidate candidate) {
    if (qualifier == null || qualifier.equals("native") || qualifier.equals(architecture)) {
      return true;
    }
    if (qualifier.equals("any")) {
      return candidate.multiArch().equals("allowed");
    }
    return false;
  }

  /**
   * Returns whether a {@code Conflicts} or {@code Breaks} constraint can hit a package of the
   * image, all of which are of the target architecture or {@code all}. As dpkg has it, {@code :any}
   * hits every architecture, no qualifier and {@code :native} hit the target, and a qualifier
   * naming another architecture hits nothing here.
   */
  boolean exclusionApplies(PackageConstraint constraint) {
    String qualifier = constraint.archQualifier();
    return qualifier == null || qualifier.equals("any") || qualifier.equals("native")
        || qualifier.equals(architecture);
  }

  /** Returns what the universe has for the names of a group, for error messages. */
  String describeAvailable(List<PackageConstraint> group) {
    List<String> parts = new ArrayList<>();
    for (String name : group.stream().map(PackageConstraint::name).distinct().toList()) {
      List<String> found = new ArrayList<>();
      for (Candidate candidate : candidates(name)) {
        found.add(candidate.describe() + " (" + candidate.binary.suite() + ")");
      }
      for (Provision provision : providers(name)) {
        found.add(
            provision.provider().describe() + " (" + provision.provider().binary.suite()
                + ") provides " + name
                + (provision.version() == null ? "" : " (= " + provision.version() + ")"));
      }
      for (Candidate candidate : excludedCandidates(name)) {
        found.add(candidate.describe() + " (" + candidate.binary.suite() + ", excluded)");
      }
      for (Provision provision : excludedProviders(name)) {
        found.add(provision.provider().describe() + " (" + provision.provider().binary.suite()
            + ", excluded) provides " + name);
      }
      if (found.isEmpty()) {
        SortedSet<String> others = otherArchitecturesByName.get(name);
        found.add(
            others == null
                ? "no package named " + name
                : name + " only for architecture " + String.join(", ", others));
      }
      parts.addAll(found);
    }
    return String.join(", ", parts);
  }

  private static Map<String, String> parseRequests(List<String> requested, Map<String, String> suitePins) {
    Map<String, String> requests = new TreeMap<>();
    for (String request : requested) {
      String text = request == null ? "" : request.strip();
      int slash = text.indexOf('/');
      if (slash >= 0) {
        text = parseSuitePin(request, text, slash, suitePins);
      }
      int equals = text.indexOf('=');
      String name = equals < 0 ? text : text.substring(0, equals).strip();
      String pin = equals < 0 ? null : text.substring(equals + 1).strip();
      if (!name.matches("[a-z0-9][a-z0-9+.-]*")) {
        throw new ImageBuildException(
            "invalid package request '" + request + "': expected a lower-case package name,"
                + " optionally followed by =version or /suite, such as curl, curl=7.88.1-10+deb12u5"
                + " or curl/bookworm-backports");
      }
      if (pin != null) {
        DebianVersion.parse(pin);
      }
      if (requests.containsKey(name)) {
        String earlier = requests.get(name);
        if (earlier != null && pin != null && !DebianVersion.parse(earlier).equals(DebianVersion.parse(pin))) {
          throw new ImageBuildException(
              "package " + name + " is requested at two versions, " + earlier + " and " + pin
                  + ": request it once");
        }
        if (pin == null) {
          continue;
        }
      }
      requests.put(name, pin);
    }
    return requests;
  }

  /** Records the suite of a {@code name/suite} request and returns the name. */
  private static String parseSuitePin(String request, String text, int slash, Map<String, String> suitePins) {
    String name = text.substring(0, slash).strip();
    String suite = text.substring(slash + 1).strip();
    if (suite.isEmpty() || suite.contains("/") || suite.contains("=") || name.contains("=")) {
      throw new ImageBuildException(
          "invalid package request '" + request + "': expected name/suite with one suite and no"
              + " version, such as curl/bookworm-backports");
    }
    String earlier = suitePins.put(name, suite);
    if (earlier != null && !earlier.equals(suite)) {
      throw new ImageBuildException(
          "package " + name + " is requested from two suites, " + earlier + " and " + suite
              + ": request it once");
    }
    return name;
  }

  /** Rejects a {@code name/suite} request when that suite has no candidate of the name. */
  private void checkSuitePin(String name, String suite) {
    List<Candidate> candidates = candidates(name);
    if (candidates.stream().noneMatch(candidate -> suite.equals(candidate.binary.suite()))) {
      throw new ImageBuildException(
          "package " + name + " not found in suite " + suite + "; available: "
              + candidates.stream()
                  .map(candidate -> candidate.binary.version() + " (" + candidate.origin() + ")")
                  .collect(Collectors.joining(", "))
              + ". Request it from one of these suites, or add the suite to the sources.");
    }
  }

  private static List<String> requestTexts(Map<String, String> requests) {
    return requests.entrySet().stream()
        .map(entry -> entry.getValue() == null ? entry.getKey() : entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.toList());
  }

  private void checkRequest(String name, String pin) {
    if (excludedByName.containsKey(name)) {
      throw new ImageBuildException(
          "package " + name + " is both requested and excluded: remove it from the packages or"
              + " from the excludes");
    }
    List<Candidate> candidates = candidates(name);
    if (candidates.isEmpty() && (pin != null || providers(name).isEmpty())) {
      SortedSet<String> others = otherArchitecturesByName.get(name);
      if (others != null) {
        throw new ImageBuildException(
            "package " + name + " is not available for architecture " + architecture
                + ", only for " + String.join(", ", others)
                + ": remove it from the package list or build for one of those architectures");
      }
      if (pin != null && !providers(name).isEmpty()) {
        throw new ImageBuildException(
            "package " + name + "=" + pin + " cannot be pinned because " + name
                + " is a virtual package; request one of its providers instead: "
                + describeAvailable(List.of(PackageConstraint.unversioned(name))));
      }
      List<String> similar = NameSuggestions.similar(name, allNames());
      throw new ImageBuildException(
          "package " + name + " not found in the package indexes for " + architecture
              + (similar.isEmpty() ? "" : "; did you mean " + String.join(", ", similar) + "?")
              + " Check the spelling and the configured suites and components.");
    }
    if (pin != null) {
      DebianVersion pinned = DebianVersion.parse(pin);
      boolean found = candidates.stream().anyMatch(candidate -> candidate.version.equals(pinned));
      if (!found) {
        throw new ImageBuildException(
            "version " + pin + " of package " + name + " not found; available: "
                + candidates.stream()
                    .map(candidate -> candidate.binary.version() + " (" + candidate.origin() + ")")
                    .collect(Collectors.joining(", "))
                + ". Pin one of these versions or drop the pin.");
      }
    }
  }

  private Collection<String> allNames() {
    TreeSet<String> names = new TreeSet<>(candidatesByName.keySet());
    names.addAll(providersByName.keySet());
    return names;
  }

  /**
   * A group of alternatives still to be met, in a linked list that the search shares between
   * branches instead of copying.
   *
   * @param group the alternatives
   * @param need the package that needs the group, or null when it was requested
   * @param pinned whether only a real package of the exact version may meet it
   * @param next the rest of the list
   */
  record Task(List<PackageConstraint> group, Need need, boolean pinned, Task next) {}

  /**
   * A chosen package that needs a group, and at which depth of the search it was chosen.
   *
   * @param dependent the package whose Depends or Pre-Depends contains the group
   * @param level the search depth at which {@code dependent} was chosen
   * @param parent why {@code dependent} was chosen, or null when it was requested
   */
  record Need(Candidate dependent, int level, Need parent) {

    /** Returns the chain back to the request, such as {@code needed by bar 1.0 <- requested}. */
    static String chain(Need need) {
      StringBuilder text = new StringBuilder();
      for (Need link = need; link != null; link = link.parent) {
        text.append("needed by ").append(link.dependent.describe()).append(" <- ");
      }
      return text.append("requested").toString();
    }
  }
}
