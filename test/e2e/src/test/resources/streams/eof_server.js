// Reads each connection to EOF, then answers with what it got (length and a digest) and closes.
// Usage: node eof_server.js PORT
const net = require('net');
const crypto = require('crypto');
net
  .createServer({ allowHalfOpen: true }, c => {
    const chunks = [];
    c.on('data', d => chunks.push(d));
    c.on('end', () => {
      const got = Buffer.concat(chunks);
      const line = `got ${got.length} ${crypto.createHash('sha256').update(got).digest('hex')}\n`;
      c.end(line.repeat(2000));
      console.log('answered ' + got.length);
    });
  })
  .listen(Number(process.argv[2]), '0.0.0.0', () => console.log('listening'));
