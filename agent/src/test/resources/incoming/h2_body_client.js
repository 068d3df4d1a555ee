// h2c client for filter tests: every request is a stream of ONE connection, sent one after the
// other. node h2_body_client.js HOST PORT 'METHOD PATH|header: value|@json=TEXT|@big=N' ...
// Prints each response body on its own line, in argument order.
const http2 = require('http2');
const [host, port, ...specs] = process.argv.slice(2);
const session = http2.connect(`http://${host}:${port}`);
session.on('error', (e) => { console.error('session error', e.message); process.exit(2); });
function send(spec) {
  return new Promise((resolve) => {
    const [first, ...parts] = spec.split('|');
    const [method, path] = first.split(' ');
    const headers = { ':method': method, ':path': path };
    let body = null;
    for (const p of parts) {
      if (p.startsWith('@json=')) { body = Buffer.from(p.slice(6)); headers['content-type'] = 'application/json'; }
      else if (p.startsWith('@big=')) { body = Buffer.alloc(Number(p.slice(5)), 120); }
      else { const i = p.indexOf(': '); headers[p.slice(0, i).toLowerCase()] = p.slice(i + 2); }
    }
    const req = session.request(headers, { endStream: body === null });
    let out = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { out += c; });
    req.on('end', () => resolve(out));
    req.on('error', (e) => resolve('stream error: ' + e.message));
    if (body !== null) { req.end(body); }
  });
}
(async () => {
  const out = [];
  for (const s of specs) { out.push(await send(s)); }
  console.log(out.join('\n'));
  session.close();
})();
