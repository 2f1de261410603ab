// Writes multistrap.conf from examples/multistrap-noble/multistrap.conf with the Ubuntu archive
// URIs of DEBIMAGE_UBUNTU_MIRROR and DEBIMAGE_UBUNTU_SECURITY_MIRROR (default: the first), such as
// http://HOST/ubuntu. Without DEBIMAGE_UBUNTU_MIRROR the build is skipped: setup.groovy sets the
// goal's skip parameter, logs why, and verify.groovy checks only that nothing was built.

// The invoker copies this project to it/target/error-cases/multistrap-noble-image.
def example = new File(basedir, '../../../../examples/multistrap-noble/multistrap.conf').canonicalFile
assert example.isFile() : "missing ${example}"

def mirror = System.getenv('DEBIMAGE_UBUNTU_MIRROR')?.trim()
def pom = new File(basedir, 'pom.xml')
if (!mirror) {
    println 'multistrap-noble-image: SKIPPED because DEBIMAGE_UBUNTU_MIRROR is not set; set it to an Ubuntu' +
        ' archive URI such as http://HOST/ubuntu to build and run the noble image'
    new File(basedir, 'skipped').text = 'DEBIMAGE_UBUNTU_MIRROR is not set\n'
    pom.text = pom.text.replace('SKIP_BUILD', 'true')
    return true
}
def security = System.getenv('DEBIMAGE_UBUNTU_SECURITY_MIRROR')?.trim() ?: mirror
[mirror, security].each { uri ->
    assert uri ==~ /https?:\/\/[^\s]+/ : "invalid Ubuntu archive URI '${uri}': use http://HOST/ubuntu or https://HOST/ubuntu"
}

def text = example.text
    .replace('http://SECURITY-MIRROR/ubuntu', security.replaceAll('/+$', ''))
    .replace('http://MIRROR/ubuntu', mirror.replaceAll('/+$', ''))
assert !text.contains('MIRROR/') : "a MIRROR placeholder is left in ${example}"
new File(basedir, 'multistrap.conf').text = text
pom.text = pom.text.replace('SKIP_BUILD', 'false')
println "multistrap-noble-image: building from the Ubuntu archives ${mirror} and ${security}"
return true
