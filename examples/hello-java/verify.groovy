// Checks the outputs of the sample build, then loads the image into podman and runs it.

def imageDir = new File(basedir, 'target/image')
['oci/index.json', 'oci/oci-layout', 'image.tar', 'digest', 'packages.txt', 'packages.json',
 'sbom.spdx.json', 'sbom.cdx.json'].each { name ->
    assert new File(imageDir, name).isFile() : "missing output target/image/${name}"
}

def digest = new File(imageDir, 'digest').text.trim()
assert digest ==~ /sha256:[0-9a-f]{64}/ : "digest file holds '${digest}'"
def secondDigest = new File(basedir, 'target/image-again/digest').text.trim()
assert digest == secondDigest : "two builds of one project gave ${digest} and ${secondDigest}"

def report = new groovy.json.JsonSlurper().parse(new File(imageDir, 'packages.json'))
def requested = report.packages.findAll { it.reason == 'requested' }*.name
assert requested == ['openjdk-17-jre-headless'] : "packages.json lists as requested: ${requested}"

def packages = new File(imageDir, 'packages.txt').readLines()
assert packages.any { it.startsWith('openjdk-17-jre-headless ') } : 'packages.txt lacks openjdk-17-jre-headless'
assert packages.any { it.startsWith('libc6 ') } : 'packages.txt lacks libc6'
assert !packages.any { it.startsWith('bash ') || it.startsWith('dash ') } : 'the image has a shell'
assert !packages.any { it.startsWith('apt ') || it.startsWith('dpkg ') } : 'the image has a package manager'

def buildLog = new File(basedir, 'build.log').text
assert buildLog.contains('0 downloaded') : 'a later build downloaded packages again'

def lockfile = new File(basedir, 'image.lock.json')
assert lockfile.isFile() : 'image:lock wrote no image.lock.json'
assert lockfile.text.contains('"name": "openjdk-17-jre-headless"') : 'image.lock.json lacks openjdk-17-jre-headless'
assert buildLog =~ /Using \d+ packages from .*image\.lock\.json/ : 'the last build did not use image.lock.json'
def lockedDigest = new File(basedir, 'target/image-locked/digest').text.trim()
assert digest == lockedDigest : "the locked build gave ${lockedDigest}, the unlocked one ${digest}"

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
def reference = 'localhost/example/hello-java:1.0'

def (loadStatus, loadOutput) = run(podman + ['load', '-i', new File(imageDir, 'image.tar').path])
assert loadStatus == 0 : "podman load failed: ${loadOutput}"
try {
    def (appStatus, appOutput) = run(podman + runFlags + [reference])
    assert appStatus == 0 : "the application exited with ${appStatus}"
    assert appOutput.contains('Hello from a Debian image, Java 17') : "unexpected output: ${appOutput}"
    assert appOutput.contains('user nonroot') : "the image does not run as nonroot: ${appOutput}"
    def trust = appOutput =~ /trusted CAs: (\d+) of (\d+) in/
    assert trust.find() : "the application printed no trust store size: ${appOutput}"
    assert trust.group(1) == trust.group(2) : "the Java trust store and the CA bundle differ: ${appOutput}"
    assert trust.group(1).toInteger() > 100 : "the Java trust store is nearly empty: ${appOutput}"

    def (javaStatus, javaOutput) = run(podman + runFlags + ['--entrypoint', 'java', reference, '-version'])
    assert javaStatus == 0 : "java -version exited with ${javaStatus}"
    assert javaOutput.contains('openjdk version "17') : "unexpected java -version output: ${javaOutput}"

    def (shellStatus, shellOutput) = run(podman + runFlags + ['--entrypoint', '/bin/sh', reference, '-c', 'true'])
    assert shellStatus != 0 : 'the image runs /bin/sh, but no requested package brings a shell'
} finally {
    run(podman + ['rmi', '--force', reference])
}
return true
