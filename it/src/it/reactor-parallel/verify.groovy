// Both modules, built in parallel with one package cache, must have written a complete image
// with their own package set.
def expected = [
    'app-a': ['libc6', 'libgcc-s1', 'gcc-12-base'],
    'app-b': ['libc6', 'libgcc-s1', 'gcc-12-base', 'zlib1g'],
]
def digests = [:]
expected.each { module, names ->
  def imageDir = new File(basedir, "${module}/target/image")
  def digestFile = new File(imageDir, 'digest')
  assert digestFile.isFile() : "${module} wrote no target/image/digest"
  def digest = digestFile.text.trim()
  assert digest ==~ /sha256:[0-9a-f]{64}/ : "${module}'s digest file contains '${digest}'"
  digests[module] = digest

  def listed = new File(imageDir, 'packages.txt').readLines().collect { it.split(' ')[0] }
  assert listed.sort() == names.sort() : "${module}'s packages.txt lists ${listed}, expected ${names}"
}
assert digests['app-a'] != digests['app-b'] : "the two modules wrote the same image ${digests['app-a']}"

def log = new File(basedir, 'build.log').text
assert log.contains('thread count of 2') : 'the build did not run on 2 threads'
return true
