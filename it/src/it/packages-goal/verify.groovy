// image:packages must list libc6 as requested and its Depends, libgcc-s1, as needed by libc6,
// and must write no image.
def log = new File(basedir, 'build.log').text
def libc6 = log.readLines().find { it =~ /\[INFO\]\s+libc6\s/ }
assert libc6 != null : "build.log does not list libc6"
assert libc6 =~ /\s+amd64\s+requested$/ : "libc6 is not listed as requested: " + libc6
def libgcc = log.readLines().find { it =~ /\[INFO\]\s+libgcc-s1\s/ }
assert libgcc != null : "build.log does not list libgcc-s1"
assert libgcc =~ /\s+amd64\s+needed by libc6$/ : "libgcc-s1 is not listed as needed by libc6: " + libgcc
assert log =~ /\[INFO\] \d+ packages:/ : "build.log lacks the package count"
assert !new File(basedir, 'target/image/digest').exists() : "image:packages wrote an image"
return true
