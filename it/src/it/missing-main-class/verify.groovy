// The build must fail with a message that names the value at fault and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains("main class 'com.example.Missing' not found") : "build.log lacks the missing class name"
assert log.contains('<mainClass>') : "build.log does not name the <mainClass> parameter"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
