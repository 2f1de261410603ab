// The build must fail with a message that names the value at fault and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains('package openjdk-17-jre-headles not found') : "build.log lacks the unknown name"
assert log.contains('did you mean openjdk-17-jre-headless') : "build.log lacks the suggestion"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
