// The first build must load the image into the Docker API service under both tags, with the
// image's config digest as its ID, and the second build must find it there and not load it again.
def pidFile = new File(basedir, 'service.pid')
try {
  def log = new File(basedir, 'build.log').text
  def onPath = { name -> System.getenv('PATH').split(':').any { new File(it, name).canExecute() } }
  if (!onPath('podman') || !onPath('docker')) {
    println 'the Docker CLI or podman is not installed: checking that the build skipped the load'
    assert !log.contains('Loaded example.test/it/load') : log
    return true
  }
  assert pidFile.exists() : 'setup.groovy did not start podman system service'

  assert log.contains('Loaded example.test/it/load:1.0, example.test/it/load:latest into Docker') : log
  assert log.contains('Docker already has example.test/it/load:1.0, example.test/it/load:latest; not loading it again') : log

  def digest = new File(basedir, 'target/image/digest').text.trim()
  def manifest = new File(basedir, "target/image/oci/blobs/sha256/${digest - 'sha256:'}").text
  def configDigest = (manifest =~ /"config":\{[^}]*"digest":"sha256:([0-9a-f]{64})"/)[0][1]
  def podman = new File(basedir, 'podman.args').text.split('\n') as List
  ['1.0', 'latest'].each { tag ->
    def inspect = (podman + ['image', 'inspect', '--format', '{{.Id}}', "example.test/it/load:${tag}"]).execute()
    def output = inspect.text.trim()
    assert inspect.waitFor() == 0 : "podman image inspect example.test/it/load:${tag} failed: " + output
    assert output == configDigest : "Docker has ${output} as example.test/it/load:${tag}, the build wrote ${configDigest}"
  }
} finally {
  if (pidFile.exists()) {
    ProcessHandle.of(pidFile.text.trim() as long).ifPresent { it.destroy(); it.onExit().get() }
  }
  def runroot = new File(basedir, 'podman.runroot')
  if (runroot.exists()) {
    new File(runroot.text.trim()).deleteDir()
  }
}
return true
