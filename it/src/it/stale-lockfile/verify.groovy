// A lockfile written for other inputs must stop the build with the command that renews it.
def log = new File(basedir, 'build.log').text
assert log.contains('does not match the build\'s inputs') : "build.log lacks the stale lockfile"
assert log.contains('mvn image:lock') : "build.log lacks the fix"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
