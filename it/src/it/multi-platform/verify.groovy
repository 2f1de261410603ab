// The lockfile must list both platforms, and the build must write an image index whose manifests
// are for amd64 and arm64 (variant v8), with the index digest in target/image/digest.
import groovy.json.JsonSlurper

def json = new JsonSlurper()
def lock = json.parse(new File(basedir, 'image.lock.json'))
assert lock.platforms*.architecture == ['amd64', 'arm64'] : "image.lock.json platforms: " + lock.platforms*.architecture
assert lock.platforms[1].packages.every { it.architecture in ['arm64', 'all'] } : "the arm64 lock lists other architectures"

def image = new File(basedir, 'target/image')
def layoutIndex = json.parse(new File(image, 'oci/index.json'))
def descriptor = layoutIndex.manifests[0]
assert descriptor.mediaType == 'application/vnd.oci.image.index.v1+json' : "index.json names " + descriptor.mediaType
def digest = new File(image, 'digest').text.trim()
assert digest == descriptor.digest : "digest file " + digest + " is not the index " + descriptor.digest

def index = json.parse(new File(image, 'oci/blobs/sha256/' + digest.substring('sha256:'.length())))
assert index.manifests*.platform*.architecture == ['amd64', 'arm64']
assert index.manifests[1].platform.variant == 'v8'
assert new File(image, 'image-amd64.tar').isFile()
assert new File(image, 'image-arm64.tar').isFile()
assert new File(image, 'image.tar').length() == new File(image, 'image-amd64.tar').length()

def log = new File(basedir, 'build.log').text
assert log.contains('Building the image for linux/arm64/v8') : "build.log does not show the arm64 build"
assert log.contains('Using ') && log.contains('image.lock.json') : "the build did not use the lockfile"
return true
