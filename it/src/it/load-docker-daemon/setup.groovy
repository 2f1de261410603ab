// Starts podman's Docker API service on docker.sock in this directory, with its own image storage,
// for the Docker CLI that the build runs through DOCKER_HOST (set in invoker.properties).
// verify.groovy stops it; `timeout` stops it after 15 minutes if verify.groovy never runs.
def onPath = { name -> System.getenv('PATH').split(':').any { new File(it, name).canExecute() } }
if (!onPath('podman')) {
  println 'podman is not installed: no Docker API service, so the build skips the load'
  return true
}
// podman rejects a runroot path longer than 50 characters, so it goes under the system's temp directory.
def runroot = java.nio.file.Files.createTempDirectory('debimage-it-run').toString()
new File(basedir, 'podman.runroot').text = runroot
List<String> podman = ['podman', '--runtime', 'runc', '--cgroup-manager=cgroupfs', '--storage-driver', 'vfs',
                      '--root', new File(basedir, 'storage').absolutePath, '--runroot', runroot]
new File(basedir, 'podman.args').text = podman.join('\n')
def socket = new File(basedir, 'docker.sock')
List<String> command = ['timeout', '900'] + podman + ['system', 'service', '--time=0', 'unix://' + socket.absolutePath]
def service = new ProcessBuilder(command)
    .redirectErrorStream(true)
    .redirectOutput(new File(basedir, 'service.log'))
    .start()
new File(basedir, 'service.pid').text = service.pid().toString()
for (int i = 0; i < 300 && !socket.exists(); i++) {
  assert service.alive : 'podman system service exited: ' + new File(basedir, 'service.log').text
  Thread.sleep(100)
}
assert socket.exists() : 'podman system service did not create ' + socket
return true
