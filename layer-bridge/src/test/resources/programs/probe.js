const fs = require('fs'), net = require('net'), dgram = require('dgram'), dns = require('dns'), os = require('os');
const cp = require('child_process');
console.log('file=' + fs.readFileSync('/mirrord-remote/hello.txt', 'utf8').trim());
console.log('size=' + fs.statSync('/mirrord-remote/hello.txt').size);
console.log('exists=' + fs.existsSync('/mirrord-remote/hello.txt'));
console.log('dir=' + fs.readdirSync('/mirrord-remote/dir').sort().join(','));
fs.writeFileSync('/mirrord-remote/out-js.txt', 'written by js');
console.log('host=' + os.hostname());
console.log('child=' + cp.execSync('cat /mirrord-remote/hello.txt').toString().trim());
fs.readFile('/mirrord-remote/hello.txt', 'utf8', (err, text) => {
  console.log('async=' + (err ? err.code : text.trim()));
  dns.lookup('echo.cluster.test', { family: 4 }, (err, address) => {
    console.log('dns=' + (err ? err.code : address));
    const s = net.connect(7, 'echo.cluster.test', () => s.write('ping-tcp'));
    s.on('data', d => {
      console.log('tcp=' + d.toString());
      s.end();
      const u = dgram.createSocket('udp4');
      u.on('message', (m, rinfo) => {
        console.log('udp=' + m.toString() + ' from ' + rinfo.address + ':' + rinfo.port);
        u.close();
      });
      u.send('ping-udp', 7, address);
    });
    s.on('error', e => console.log('tcp-error=' + e.code));
  });
});
