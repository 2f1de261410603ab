// The pushed image must have the digest the build wrote, and the manifest must carry the
// annotations taken from the pom.
def pid = new File(basedir, 'registry.pid').text.trim() as long
try {
  def port = new File(basedir, 'registry.port').text.trim()
  def reference = "127.0.0.1:${port}/it/push:1.0"
  def log = new File(basedir, 'build.log').text
  def digest = new File(basedir, 'target/image/digest').text.trim()
  assert log.contains("Pushed ${reference}: ") : "build.log does not report the push"

  def inspect = ['skopeo', 'inspect', '--tls-verify=false', "docker://${reference}"].execute()
  def output = inspect.text
  assert inspect.waitFor() == 0 : "skopeo inspect failed: " + output
  def pushed = (output =~ /"Digest":\s*"([^"]+)"/)[0][1]
  assert pushed == digest : "the registry has ${pushed}, the build wrote ${digest}"

  def manifest = new File(basedir, "target/image/oci/blobs/sha256/${digest - 'sha256:'}").text
  assert manifest.contains('"org.opencontainers.image.source":"http://127.0.0.1/it/push-to-registry"') : manifest
  assert manifest.contains('"org.opencontainers.image.revision":"v1.0"') : manifest
  assert manifest.contains('"org.opencontainers.image.licenses":"Apache-2.0"') : manifest
  assert manifest.contains('"org.opencontainers.image.created":"2026-01-01T00:00:00Z"') : manifest

  def configDigest = (manifest =~ /"config":\{[^}]*"digest":"sha256:([0-9a-f]{64})"/)[0][1]
  def config = new File(basedir, "target/image/oci/blobs/sha256/${configDigest}").text
  assert config.contains('"ExposedPorts":{"8080/tcp":{}}') : config
  assert config.contains('"StopSignal":"SIGINT"') : config
  assert config.contains('"org.opencontainers.image.title":"Push test"') : config
  assert config.contains('"created_by":"debimage: ') : config
} finally {
  ProcessHandle.of(pid).ifPresent { it.destroy() }
}
return true
