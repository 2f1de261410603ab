// With image.skip the goal logs that it skipped and writes no output.
def log = new File(basedir, 'build.log').text
assert log.contains('Skipping the image build (image.skip)') : "build.log lacks the skip message"
assert !new File(basedir, 'target/image').exists() : "a skipped build wrote target/image"
return true
