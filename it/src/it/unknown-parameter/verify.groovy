// A misspelt parameter must fail the build before any download, naming the element and the
// parameter it was probably meant to be, instead of leaving the default in place unnoticed.
def log = new File(basedir, 'build.log').text
assert log.contains('unknown parameter in the configuration of image-maven-plugin: <timeZone>') : "build.log lacks the unknown parameter"
assert log.contains('did you mean <timezone>?') : "build.log does not suggest <timezone>"
assert !log.contains('InRelease') : "the build read package indexes before checking the parameters"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
