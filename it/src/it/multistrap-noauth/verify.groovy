// The build must fail naming the multistrap key, its file and line, and why it is rejected.
def log = new File(basedir, 'build.log').text
assert log.contains('noauth=true') : "build.log lacks the rejected key"
assert log.contains('multistrap.conf line 4') : "build.log lacks the file and line"
assert log.contains('always checked') : "build.log lacks the reason"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
