// The build must reject <sources> next to <multistrapConfig>, naming both.
def log = new File(basedir, 'build.log').text
assert log.contains('both <multistrapConfig> and <sources> are set') : "build.log lacks the conflict"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
