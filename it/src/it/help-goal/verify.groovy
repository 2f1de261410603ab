// The first run lists every goal; the second lists image:build's parameters with their properties.
def log = new File(basedir, 'build.log').text
['image:build', 'image:help', 'image:lock', 'image:outdated', 'image:packages'].each { goal ->
    assert log.contains(goal) : "image:help does not list ${goal}"
}
['mainClass', 'packages', 'sources', 'policy', 'pathFilters'].each { parameter ->
    // Maven prints the help as one multi-line message, so only its first line has the [INFO] prefix.
    assert log =~ /(?m)^\s+${parameter}( \(Default: [^)]*\))?$/ : "image:help -Ddetail does not list the parameter ${parameter}"
}
assert log.contains('User property: image.image') : 'image:help -Ddetail does not name the user property image.image'
assert log.contains('image (Default: ${project.artifactId}:${project.version})') : 'image:help -Ddetail does not show the default of image'
assert !log.contains('BUILD FAILURE') : 'image:help failed'
return true
