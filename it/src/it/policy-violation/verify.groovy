// The build must fail, name the path that breaks the policy and the requested package that ships it.
def log = new File(basedir, 'build.log').text
assert log.contains('the image violates its policy (1 violation)') : "build.log lacks the policy failure"
assert log.contains('forbidden path: /etc/os-release') : "build.log lacks the forbidden path"
assert log.contains('from base-files (requested)') : "build.log lacks the package that ships the path"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
