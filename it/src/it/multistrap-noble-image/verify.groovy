// Loads the image that the noble multistrap file gave into podman and checks that it is Ubuntu
// 24.04 (noble). When setup.groovy skipped the build, checks that the goal logged the skip and
// wrote nothing.

def buildLog = new File(basedir, 'build.log').text
if (new File(basedir, 'skipped').isFile()) {
    assert buildLog.contains('Skipping the image build (image.skip)') : 'build.log lacks the skip message'
    assert !new File(basedir, 'target/image').exists() : 'a skipped build wrote target/image'
    println 'multistrap-noble-image: SKIPPED because DEBIMAGE_UBUNTU_MIRROR is not set'
    return true
}

def imageDir = new File(basedir, 'target/image')
assert new File(imageDir, 'image.tar').isFile() : 'missing target/image/image.tar'
def packages = new File(imageDir, 'packages.txt').readLines()
['base-files ', 'bash ', 'dpkg ', 'ubuntu-keyring '].each { prefix ->
    assert packages.any { it.startsWith(prefix) } : "packages.txt lacks ${prefix.trim()}"
}
assert buildLog.contains('noble-security') : 'build.log names no noble-security Release file'

def run(List<String> command) {
    def process = command.execute()
    def out = new StringBuilder()
    def err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    println "\$ ${command.join(' ')}\n${out}${err}"
    return [process.exitValue(), out.toString() + err.toString()]
}

def podman = ['podman', '--runtime', 'runc', '--cgroup-manager=cgroupfs']
def runFlags = ['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']
def reference = 'localhost/example/multistrap-noble:1.0'

def (loadStatus, loadOutput) = run(podman + ['load', '-i', new File(imageDir, 'image.tar').path])
assert loadStatus == 0 : "podman load failed: ${loadOutput}"
try {
    def (status, output) = run(podman + runFlags + [reference])
    assert status == 0 : "cat /etc/os-release exited with ${status}: ${output}"
    assert output.contains('VERSION_CODENAME=noble') : "/etc/os-release does not name noble: ${output}"
    assert output.contains('ID=ubuntu') : "/etc/os-release does not name Ubuntu: ${output}"
    assert output.contains('VERSION_ID="24.04"') : "/etc/os-release does not name 24.04: ${output}"
} finally {
    run(podman + ['rmi', '--force', reference])
}
return true
