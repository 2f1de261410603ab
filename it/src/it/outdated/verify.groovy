// image:outdated must list libc6 against the old lockfile, and fail with -Dimage.failOnOutdated.
def log = new File(basedir, 'build.log').text
def line = log.readLines().find { it.contains('libc6 2.36-9 -> 2.36-9+deb12u') }
assert line != null : "build.log lists no newer libc6"
assert line =~ /\((bookworm|bookworm-updates|bookworm-security)(, security)?\)/ : "no suite in: ${line}"
assert log.contains('changed since') : "build.log lacks the warning about the lockfile's inputs"
assert log.contains('run mvn image:lock to take the newer versions') : "the failing run does not name the fix"
assert log.contains('BUILD FAILURE') : "-Dimage.failOnOutdated did not fail the build"
assert log.contains('BUILD SUCCESS') : "the reporting run failed"
return true
