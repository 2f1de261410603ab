package dev.debimage.core.resolution;

import dev.debimage.core.ImageBuildException;
import dev.debimage.core.indexes.BinaryPackage;
import dev.debimage.core.resolution.Candidate.Exclusion;
import dev.debimage.core.resolution.Candidate.Provision;
import dev.debimage.core.resolution.Resolver.Need;
import dev.debimage.core.resolution.Resolver.Task;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One depth-first search of a {@link Resolver}: the packages chosen so far, undone on the way back
 * out of a dead end.
 *
 * <p>Each chosen package has a level, the depth at which it was chosen. A failed branch returns
 * the set of levels whose choices caused the failure. A level not in that set cannot fix the
 * failure by choosing differently, so the search returns past it at once (conflict-directed
 * backjumping) instead of trying its other options.
 */
final class Search {

  /**
   * The explanation of a failed branch.
   *
   * @param causes the levels whose choices led to the failure
   * @param message the explanation, with the chain from the request to each problem
   */
  record Failure(BitSet causes, String message) {}

  /** A chosen package, the depth at which it was chosen, and why. */
  private record Selection(Candidate candidate, int level, Need need) {}

  /** A Conflicts or Breaks constraint of a chosen package. */
  private record ChosenExclusion(Exclusion exclusion, Selection owner) {}

  /** A candidate for a group, with a warning to keep if the candidate is chosen. */
  private record Option(Candidate candidate, String warning) {}

  private static final int MAX_REASON_LENGTH = 1000;

  private final Resolver resolver;
  private final Map<String, Selection> selected = new HashMap<>();
  private final Map<String, List<Provision>> provided = new HashMap<>();
  private final Map<String, List<ChosenExclusion>> excluded = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private int attempts;
  private String firstFailureMessage;

  private final Map<String, String> suitePins;

  /**
   * Creates a search.
   *
   * @param suitePins for a name requested as {@code name/suite}, the only suite its candidates
   *     may come from
   */
  Search(Resolver resolver, Map<String, String> suitePins) {
    this.resolver = resolver;
    this.suitePins = suitePins;
  }

  /**
   * Adds the {@code Recommends} of the chosen packages, and of the packages that brings in, as apt
   * does with Install-Recommends. Each group is resolved on its own after the chosen packages, so a
   * group that cannot be met is skipped with a warning and changes nothing.
   */
  void followRecommends() {
    Set<String> done = new HashSet<>();
    while (true) {
      List<Selection> pending = new ArrayList<>();
      for (Selection selection : new TreeMap<>(selected).values()) {
        if (!done.contains(selection.candidate().name())) {
          pending.add(selection);
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      for (Selection selection : pending) {
        done.add(selection.candidate().name());
        Candidate candidate = selection.candidate();
        Need need = new Need(candidate, selection.level(), selection.need());
        for (List<PackageConstraint> group : candidate.recommends()) {
          Task task = new Task(group, need, false, null);
          if (isMet(task)) {
            continue;
          }
          // Every level in use is at most selected.size(), so new choices get higher levels.
          Failure failure = solve(task, selected.size() + 1);
          if (failure != null) {
            warnings.add(
                "skipped 'Recommends: " + Relationship.formatGroup(group) + "' of "
                    + candidate.describe() + " because it cannot be installed: " + failure.message());
          }
        }
      }
    }
  }

  /** Returns the chosen packages, sorted by name. */
  List<Candidate> chosen() {
    List<Candidate> chosen = new ArrayList<>();
    new TreeMap<>(selected).values().forEach(selection -> chosen.add(selection.candidate()));
    return chosen;
  }

  /**
   * Meets every task of {@code agenda} and of the dependencies it brings in. Returns null on
   * success, leaving the choices in place, and the failure otherwise.
   */
  Failure solve(Task agenda, int level) {
    Task task = agenda;
    while (task != null && isMet(task)) {
      task = task.next();
    }
    if (task == null) {
      return null;
    }

    BitSet causes = new BitSet();
    if (task.need() != null) {
      causes.set(task.need().level());
    }
    List<Option> options = options(task);
    List<String> rejections = new ArrayList<>();
    List<String> branchFailures = new ArrayList<>();
    for (Option option : options) {
      attempts++;
      if (attempts > resolver.maxAttempts()) {
        String progress =
            firstFailureMessage == null
                ? "while choosing a package for '" + Relationship.formatGroup(task.group()) + "' ("
                    + Need.chain(task.need()) + ")"
                : "the first problem found was: " + firstFailureMessage;
        throw new ImageBuildException(
            "dependency resolution stopped after " + resolver.maxAttempts()
                + " attempts without a solution; " + progress
                + ". Request the alternatives or versions you want explicitly (name=version).");
      }
      Candidate candidate = option.candidate();
      Selection clash = selected.get(candidate.name());
      if (clash != null) {
        causes.set(clash.level());
        rejections.add(
            candidate.describe() + " cannot be chosen because " + clash.candidate().describe()
                + " is already chosen, " + Need.chain(clash.need()));
        continue;
      }
      String conflict = findConflict(candidate, task.need(), causes);
      if (conflict != null) {
        rejections.add(conflict);
        continue;
      }

      int warningCount = warnings.size();
      select(new Selection(candidate, level, task.need()), option.warning());
      Need need = new Need(candidate, level, task.need());
      Task next = task.next();
      List<List<PackageConstraint>> dependencies = candidate.dependencies();
      for (int i = dependencies.size() - 1; i >= 0; i--) {
        next = new Task(dependencies.get(i), need, false, next);
      }
      Failure failure = solve(next, level + 1);
      if (failure == null) {
        return null;
      }
      unselect(candidate);
      warnings.subList(warningCount, warnings.size()).clear();
      if (!failure.causes().get(level)) {
        return failure;
      }
      failure.causes().clear(level);
      causes.or(failure.causes());
      branchFailures.add(failure.message());
    }

    String message;
    if (rejections.isEmpty() && branchFailures.size() == 1) {
      // The single candidate's own failure already shows the chain down to the problem.
      message = branchFailures.get(0);
    } else {
      message = describeFailure(task, rejections, branchFailures);
    }
    if (firstFailureMessage == null) {
      firstFailureMessage = message;
    }
    return new Failure(causes, message);
  }

  /**
   * Returns the chosen packages after a successful {@link #solve}, with {@code moreWarnings} after
   * those of the search.
   */
  Resolution resolution(List<String> moreWarnings) {
    Map<String, Selection> sorted = new TreeMap<>(selected);
    List<BinaryPackage> packages = new ArrayList<>();
    Map<String, String> reasons = new TreeMap<>();
    for (Selection selection : sorted.values()) {
      packages.add(selection.candidate().binary);
      reasons.put(
          selection.candidate().name(),
          selection.need() == null
              ? "requested"
              : "needed by " + selection.need().dependent().name());
    }
    LinkedHashSet<String> allWarnings = new LinkedHashSet<>(warnings);
    allWarnings.addAll(moreWarnings);
    return new Resolution(packages, reasons, List.copyOf(allWarnings));
  }

  /** Returns whether a chosen package already meets one alternative of the task. */
  private boolean isMet(Task task) {
    for (PackageConstraint constraint : task.group()) {
      Selection selection = selected.get(constraint.name());
      if (selection != null && resolver.meetsDirectly(constraint, selection.candidate())) {
        return true;
      }
      if (task.pinned()) {
        continue;
      }
      for (Provision provision : provided.getOrDefault(constraint.name(), List.of())) {
        if (resolver.meetsByProvision(constraint, provision)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the candidates for a task in the order they are tried. */
  private List<Option> options(Task task) {
    Map<Candidate, Option> options = new LinkedHashMap<>();
    for (PackageConstraint constraint : task.group()) {
      for (Candidate candidate : resolver.candidates(constraint.name())) {
        if (resolver.meetsDirectly(constraint, candidate) && allowedBySuitePin(candidate)) {
          options.putIfAbsent(candidate, new Option(candidate, null));
        }
      }
      if (task.pinned()) {
        continue;
      }
      List<Candidate> providers = new ArrayList<>();
      Set<String> providerNames = new LinkedHashSet<>();
      for (Provision provision : resolver.providers(constraint.name())) {
        if (resolver.meetsByProvision(constraint, provision) && allowedBySuitePin(provision.provider())) {
          providers.add(provision.provider());
          providerNames.add(provision.provider().name());
        }
      }
      for (Candidate provider : providers) {
        String warning = null;
        if (providerNames.size() > 1) {
          warning =
              "virtual package " + constraint.name() + " (" + Need.chain(task.need())
                  + ") has several providers: " + String.join(", ", providerNames) + "; chose "
                  + provider.name() + " by Priority, then by name. Request one of them to"
                  + " choose another.";
        }
        options.putIfAbsent(provider, new Option(provider, warning));
      }
    }
    return new ArrayList<>(options.values());
  }

  private boolean allowedBySuitePin(Candidate candidate) {
    String suite = suitePins.get(candidate.name());
    return suite == null || suite.equals(candidate.binary.suite());
  }

  /**
   * Returns why {@code candidate} cannot be installed with the chosen packages, or null when it
   * can. Adds the levels of the packages in the way to {@code causes}.
   */
  private String findConflict(Candidate candidate, Need need, BitSet causes) {
    for (Exclusion exclusion : candidate.exclusions()) {
      PackageConstraint constraint = exclusion.constraint();
      if (!resolver.exclusionApplies(constraint)) {
        continue;
      }
      Selection other = selected.get(constraint.name());
      if (other != null
          && !other.candidate().name().equals(candidate.name())
          && constraint.satisfiedBy(other.candidate().version)) {
        causes.set(other.level());
        return describeConflict(candidate, need, exclusion, candidate, other);
      }
      for (Provision provision : provided.getOrDefault(constraint.name(), List.of())) {
        if (!provision.provider().name().equals(candidate.name()) && excludes(constraint, provision)) {
          Selection owner = selected.get(provision.provider().name());
          causes.set(owner.level());
          return describeConflict(candidate, need, exclusion, candidate, owner);
        }
      }
    }

    for (ChosenExclusion chosen : excluded.getOrDefault(candidate.name(), List.of())) {
      if (resolver.exclusionApplies(chosen.exclusion().constraint())
          && !chosen.owner().candidate().name().equals(candidate.name())
          && chosen.exclusion().constraint().satisfiedBy(candidate.version)) {
        causes.set(chosen.owner().level());
        return describeConflict(candidate, need, chosen.exclusion(), chosen.owner().candidate(), chosen.owner());
      }
    }
    for (Provision provision : candidate.provisions()) {
      for (ChosenExclusion chosen : excluded.getOrDefault(provision.name(), List.of())) {
        if (resolver.exclusionApplies(chosen.exclusion().constraint())
            && !chosen.owner().candidate().name().equals(candidate.name())
            && excludes(chosen.exclusion().constraint(), provision)) {
          causes.set(chosen.owner().level());
          return describeConflict(candidate, need, chosen.exclusion(), chosen.owner().candidate(), chosen.owner());
        }
      }
    }
    return null;
  }

  /**
   * Returns whether a Conflicts or Breaks constraint hits a provided name: an unversioned
   * constraint hits every provider, a versioned one only a versioned Provides that meets it.
   */
  private static boolean excludes(PackageConstraint constraint, Provision provision) {
    if (!constraint.isVersioned()) {
      return true;
    }
    return provision.version() != null && constraint.satisfiedBy(provision.version());
  }

  private static String describeConflict(
      Candidate candidate, Need need, Exclusion exclusion, Candidate declaredBy, Selection other) {
    return candidate.describe() + " (" + Need.chain(need) + ") and "
        + other.candidate().describe() + " (" + Need.chain(other.need())
        + ") cannot both be installed because " + declaredBy.name() + " has '"
        + exclusion.field() + ": " + exclusion.constraint() + "'";
  }

  /**
   * Explains why no candidate met a task: what the universe has when there was no candidate, else
   * up to three reasons, the candidates rejected outright first.
   */
  private String describeFailure(Task task, List<String> rejections, List<String> branchFailures) {
    String start =
        "cannot satisfy '" + Relationship.formatGroup(task.group()) + "': " + Need.chain(task.need());
    List<String> reasons = new ArrayList<>(rejections);
    reasons.addAll(branchFailures);
    if (reasons.isEmpty()) {
      StringBuilder text = new StringBuilder(start).append("; available: ")
          .append(resolver.describeAvailable(task.group()));
      for (String name : task.group().stream().map(PackageConstraint::name).distinct().toList()) {
        if (suitePins.containsKey(name)) {
          text.append("; ").append(name).append(" is requested from suite ").append(suitePins.get(name))
              .append(" only");
        }
      }
      return text.toString();
    }
    if (reasons.size() == 1) {
      return start + "; " + reasons.get(0);
    }
    StringBuilder text = new StringBuilder(start).append("; no candidate works:");
    for (int i = 0; i < Math.min(3, reasons.size()); i++) {
      text.append(" (").append(i + 1).append(") ").append(abbreviate(reasons.get(i)));
    }
    if (reasons.size() > 3) {
      text.append(" (and ").append(reasons.size() - 3).append(" more)");
    }
    return text.toString();
  }

  /**
   * Shortens a nested explanation, because each level of alternatives may embed three more and
   * the message would otherwise grow exponentially with the depth of the dependency tree.
   */
  private static String abbreviate(String reason) {
    return reason.length() <= MAX_REASON_LENGTH
        ? reason
        : reason.substring(0, MAX_REASON_LENGTH) + " ...";
  }

  private void select(Selection selection, String warning) {
    Candidate candidate = selection.candidate();
    selected.put(candidate.name(), selection);
    for (Provision provision : candidate.provisions()) {
      provided.computeIfAbsent(provision.name(), name -> new ArrayList<>()).add(provision);
    }
    for (Exclusion exclusion : candidate.exclusions()) {
      excluded
          .computeIfAbsent(exclusion.constraint().name(), name -> new ArrayList<>())
          .add(new ChosenExclusion(exclusion, selection));
    }
    if (warning != null) {
      warnings.add(warning);
    }
  }

  /** Undoes {@link #select}. The candidate's entries are the last ones added to each list. */
  private void unselect(Candidate candidate) {
    selected.remove(candidate.name());
    for (Provision provision : candidate.provisions()) {
      removeLast(provided, provision.name());
    }
    for (Exclusion exclusion : candidate.exclusions()) {
      removeLast(excluded, exclusion.constraint().name());
    }
  }

  private static <T> void removeLast(Map<String, List<T>> map, String key) {
    List<T> list = map.get(key);
    list.remove(list.size() - 1);
    if (list.isEmpty()) {
      map.remove(key);
    }
  }
}
