// The attached image.tar must reach the local repository with the classifier image, unchanged.
def built = new File(basedir, 'target/image/image.tar')
assert built.isFile() : 'the build wrote no target/image/image.tar'
def installed = new File(localRepositoryPath, 'com/example/it/attach-image/1.0/attach-image-1.0-image.tar')
assert installed.isFile() : "install did not copy the image to ${installed}"
assert installed.bytes == built.bytes : "${installed} differs from ${built}"
return true
