// The HTTP/1 server of the edge-case test, run both as the pod's app and as the local program
// (each names itself in x-served-by): echoes request bodies (sha256 in x-sha256), serves 10 MiB
// with Content-Length (/big) or chunked (/chunked-out), answers Expect: 100-continue, turns an
// Upgrade into a raw echo after its 101, and answers bytes that are not HTTP with
// "NOT-HTTP <name> " followed by those bytes.
const http = require('http');
const crypto = require('crypto');
const port = Number(process.argv[2]);
const name = process.argv[3];
const big = Buffer.alloc(10 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

const srv = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url.startsWith('/big')) {
      res.writeHead(200, { 'x-served-by': name, 'content-length': big.length });
      res.end(big);
    } else if (req.url.startsWith('/chunked-out')) {
      res.writeHead(200, { 'x-served-by': name });
      for (let off = 0; off < big.length; off += 1 << 20) res.write(big.subarray(off, off + (1 << 20)));
      res.end();
    } else {
      res.writeHead(200, { 'x-served-by': name, 'x-sha256': sha(body), 'content-length': body.length });
      res.end(body);
    }
  });
});
srv.on('checkContinue', (req, res) => {
  res.writeContinue();
  srv.emit('request', req, res);
});
srv.on('upgrade', (req, socket, head) => {
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'x-served-by: ' + name + '\r\n\r\n');
  if (head.length) socket.write(head);
  socket.pipe(socket);
});
srv.on('clientError', (err, socket) => {
  if (err.rawPacket) socket.end(Buffer.concat([Buffer.from('NOT-HTTP ' + name + ' '), err.rawPacket]));
  else socket.destroy();
});
srv.listen(port, '0.0.0.0', () => console.log('listening', port));
