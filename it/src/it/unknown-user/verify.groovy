// A user name that the image's /etc/passwd lacks must fail the build, not the container's start.
def log = new File(basedir, 'build.log').text
assert log.contains("user 'appuser' is not an account of the image") : "build.log lacks the unknown user"
assert log.contains('root, nobody, nonroot') : "build.log does not list the image's accounts"
assert log.contains('<user>') : "build.log does not name the <user> parameter"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
