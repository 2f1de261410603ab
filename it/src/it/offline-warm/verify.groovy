// The offline build must succeed from the cache alone, downloading nothing, and give the image
// that the online build gave.
def log = new File(basedir, 'build.log').text
def summaries = log.readLines().findAll { it.contains('[INFO] Packages: ') }
assert summaries.size() == 2 : "expected the package summaries of 2 builds, found ${summaries}"
assert summaries[1] =~ /, 0 downloaded \(0 B\), / : "the offline build downloaded packages: " + summaries[1]
assert log.count('BUILD SUCCESS') == 2 : "one of the two builds failed"

def images = log.readLines().findAll { it =~ /\[INFO\] Image \S+ sha256:/ }
assert images.size() == 2 : "expected the image lines of 2 builds, found ${images}"
assert images[0] == images[1] : "the offline build gave another image: ${images}"
assert new File(basedir, 'target/image/digest').text.trim() == (images[1] =~ /sha256:[0-9a-f]{64}/)[0]
return true
