// h2c client: all requests run concurrently as streams of ONE connection.
// node h2_client.js HOST PORT 'METHOD PATH|header: value' ...   (POST sends a 200,000-byte body)
// Prints each response body on its own line, in argument order.
const http2 = require('http2');
const [host, port, ...specs] = process.argv.slice(2);
const session = http2.connect(`http://${host.includes(':') ? '[' + host + ']' : host}:${port}`);
session.on('error', (e) => { console.error('session error', e.message); process.exit(2); });
const results = specs.map((spec) => new Promise((resolve) => {
  const [first, ...hdrs] = spec.split('|');
  const [method, path] = first.split(' ');
  const headers = { ':method': method, ':path': path };
  for (const h of hdrs) { const i = h.indexOf(': '); headers[h.slice(0, i).toLowerCase()] = h.slice(i + 2); }
  const req = session.request(headers, { endStream: method !== 'POST' });
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => resolve(body));
  req.on('error', (e) => resolve('stream error: ' + e.message));
  if (method === 'POST') { req.end(Buffer.alloc(200000, 120)); }
}));
Promise.all(results).then((bodies) => { console.log(bodies.join('\n')); session.close(); });
