// The build must fail before any download, with a message that names the port and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains("invalid exposed port '99999'") : "build.log lacks the invalid port"
assert log.contains('from 1 to 65535') : "build.log does not say which ports are valid"
assert !log.contains('InRelease') : "the build read package indexes before checking the port"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
