// Starts Debian's docker-registry on a free port of 127.0.0.1, without authentication, and writes
// that port into pom.xml. verify.groovy stops the registry; `timeout` stops it after 15 minutes if
// verify.groovy never runs.
def socket = new ServerSocket(0, 0, InetAddress.getByName('127.0.0.1'))
def port = socket.localPort
socket.close()

def storage = new File(basedir, 'registry-storage')
storage.mkdirs()
def config = new File(basedir, 'registry.yml')
config.text = """version: 0.1
storage:
  filesystem:
    rootdirectory: ${storage.absolutePath}
http:
  addr: 127.0.0.1:${port}
"""
def registry = new ProcessBuilder('timeout', '900', '/usr/bin/docker-registry', 'serve', config.absolutePath)
    .redirectErrorStream(true)
    .redirectOutput(new File(basedir, 'registry.log'))
    .start()
new File(basedir, 'registry.pid').text = registry.pid().toString()
new File(basedir, 'registry.port').text = port.toString()

def ready = false
for (int i = 0; i < 100 && !ready; i++) {
  try {
    def connection = new URL("http://127.0.0.1:${port}/v2/").openConnection()
    ready = connection.responseCode == 200
  } catch (IOException e) {
    Thread.sleep(100)
  }
}
assert ready : "docker-registry did not respond on 127.0.0.1:${port}: " + new File(basedir, 'registry.log').text

def pom = new File(basedir, 'pom.xml')
pom.text = pom.text.replace('REGISTRY_PORT', port.toString())
return true
