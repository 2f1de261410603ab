// The child's image must contain the parent's base packages and the package the child added, and
// run as the parent's user.
def imageDir = new File(basedir, 'service/target/image')
assert new File(imageDir, 'digest').isFile() : 'service wrote no target/image/digest'
def listed = new File(imageDir, 'packages.txt').readLines().collect { it.split(' ')[0] }
assert listed.contains('openjdk-17-jre-headless') : "packages.txt lacks the parent's openjdk-17-jre-headless: ${listed}"
assert listed.contains('tzdata') : "packages.txt lacks the child's tzdata: ${listed}"
assert !new File(basedir, 'target/image/digest').exists() : 'the parent, which only manages the plugin, built an image'

def digest = new File(imageDir, 'digest').text.trim() - 'sha256:'
def manifest = new File(imageDir, "oci/blobs/sha256/${digest}").text
def configDigest = (manifest =~ /"config":\{[^}]*"digest":"sha256:([0-9a-f]{64})"/)[0][1]
def config = new File(imageDir, "oci/blobs/sha256/${configDigest}").text
assert config.contains('"User":"nobody"') : "the config does not run as the parent's user: ${config}"
assert config.contains('com.example.service.Main') : "the entrypoint lacks the child's main class: ${config}"
return true
