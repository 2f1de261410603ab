// Loads the image that the bookworm multistrap file gave into podman and checks that it is
// Debian bookworm, and that the aptsources sections became apt sources files in the image.

def imageDir = new File(basedir, 'target/image')
assert new File(imageDir, 'image.tar').isFile() : 'missing target/image/image.tar'

def packages = new File(imageDir, 'packages.txt').readLines()
['base-files ', 'bash ', 'dpkg ', 'ca-certificates ', 'tzdata ', 'debian-archive-keyring '].each { prefix ->
    assert packages.any { it.startsWith(prefix) } : "packages.txt lacks ${prefix.trim()}"
}

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
def reference = 'localhost/example/multistrap-bookworm:1.0'

def (loadStatus, loadOutput) = run(podman + ['load', '-i', new File(imageDir, 'image.tar').path])
assert loadStatus == 0 : "podman load failed: ${loadOutput}"
try {
    def (status, output) = run(podman + runFlags + [reference])
    assert status == 0 : "cat /etc/os-release exited with ${status}: ${output}"
    assert output.contains('VERSION_CODENAME=bookworm') : "/etc/os-release does not name bookworm: ${output}"
    assert output.contains('ID=debian') : "/etc/os-release does not name Debian: ${output}"

    def (listStatus, listOutput) = run(podman + runFlags + ['--entrypoint', '/bin/ls', reference, '/etc/apt/sources.list.d'])
    assert listStatus == 0 : "ls /etc/apt/sources.list.d exited with ${listStatus}"
    assert listOutput.contains('multistrap-debian.list') : "no multistrap-debian.list in the image: ${listOutput}"
    assert listOutput.contains('multistrap-security.list') : "no multistrap-security.list in the image: ${listOutput}"
} finally {
    run(podman + ['rmi', '--force', reference])
}
return true
