// Writes multistrap.conf from examples/multistrap-bookworm/multistrap.conf, with the archive URLs
// of the host's apt sources in /etc/apt/sources.list.d/ in place of http://MIRROR.

// The invoker copies this project to it/target/error-cases/multistrap-bookworm-image.
def example = new File(basedir, '../../../../examples/multistrap-bookworm/multistrap.conf').canonicalFile
assert example.isFile() : "missing ${example}"

// Returns the first http(s) URI that a deb source of the host lists for suite.
def hostUri = { String suite ->
    def files = new File('/etc/apt/sources.list.d').listFiles()?.sort { it.name } ?: []
    for (file in files) {
        if (file.name.endsWith('.sources')) {
            for (stanza in file.text.split(/\n\s*\n/)) {
                def fields = [:]
                stanza.readLines().findAll { it =~ /^[A-Za-z-]+:/ }.each { line ->
                    def colon = line.indexOf(':')
                    fields[line.substring(0, colon).toLowerCase()] = line.substring(colon + 1).trim()
                }
                def types = (fields['types'] ?: '').split(/\s+/)
                def suites = (fields['suites'] ?: '').split(/\s+/)
                def uris = (fields['uris'] ?: '').split(/\s+/).findAll { it ==~ /https?:\/\/.+/ }
                if ('deb' in types && suite in suites && uris) {
                    return uris[0].replaceAll('/+$', '')
                }
            }
        } else if (file.name.endsWith('.list')) {
            for (line in file.readLines()) {
                def words = line.replaceAll(/\[[^\]]*\]/, ' ').trim().split(/\s+/)
                if (words.size() >= 3 && words[0] == 'deb' && words[2] == suite && words[1] ==~ /https?:\/\/.+/) {
                    return words[1].replaceAll('/+$', '')
                }
            }
        }
    }
    return null
}

def debian = hostUri('bookworm')
def security = hostUri('bookworm-security')
assert debian && security : 'the host has no apt source for bookworm and bookworm-security in' +
    ' /etc/apt/sources.list.d/; add one, because this test builds from the host\'s Debian mirror'

def text = example.text
    .replace('http://MIRROR/debian-security', security)
    .replace('http://MIRROR/debian', debian)
assert !text.contains('//MIRROR/') : "a MIRROR placeholder is left in ${example}"
new File(basedir, 'multistrap.conf').text = text
println "multistrap-bookworm-image: wrote multistrap.conf for the host's mirrors ${debian} and ${security}"
return true
