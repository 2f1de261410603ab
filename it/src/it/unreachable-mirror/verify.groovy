// The build must fail with a message that names the value at fault and the fix.
def log = new File(basedir, 'build.log').text
assert log.contains('http://127.0.0.1:9/debian/dists/bookworm/InRelease') : "build.log lacks the URL"
assert log.contains('<uris>') : "build.log does not name the <uris> parameter"
assert !new File(basedir, 'target/image/digest').exists() : "a failed build wrote a digest"
return true
