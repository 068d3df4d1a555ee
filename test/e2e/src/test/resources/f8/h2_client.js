// h2c client in the cluster: on one connection, matched (x-user: alice) and unmatched streams
// with bodies and trailers; a stream the client resets mid-body; a stream the server resets; a
// server GOAWAY after an answer; finally the client's own GOAWAY (close). Prints one line per case.
const http2 = require('http2');
const crypto = require('crypto');
const [host, port] = [process.argv[2], Number(process.argv[3])];
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const out = (s) => console.log(s);

function request(session, path, user, body) {
  return new Promise((resolve) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'x-user': user });
    const chunks = [];
    let headers = {};
    let trailers = {};
    req.on('response', (h) => (headers = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve({ headers, trailers, body: Buffer.concat(chunks), code: req.rstCode }));
    req.on('error', (e) => resolve({ error: e.code || String(e), code: req.rstCode }));
    req.end(body);
  });
}

(async () => {
  const s = http2.connect('http://' + host + ':' + port);
  s.on('error', (e) => out('session-error ' + e.code));
  const payload = crypto.randomBytes(300 * 1024);
  const both = await Promise.all([
    request(s, '/echo-a', 'alice', payload),
    request(s, '/echo-b', 'bob', payload),
  ]);
  for (const [i, r] of both.entries()) {
    out('mixed ' + i + ' ' + (r.headers && r.headers['x-served-by']) + ' exact=' +
      (r.body && sha(r.body) === sha(payload)) + ' grpc-status=' + (r.trailers && r.trailers['grpc-status']) +
      ' trailer-sha=' + (r.trailers && r.trailers['x-body-sha'] === sha(payload)));
  }
  // the client resets a stream mid-body; the connection and other streams go on
  const cancelled = s.request({ ':method': 'POST', ':path': '/echo-c', 'x-user': 'alice' });
  cancelled.on('error', () => {});
  cancelled.write(Buffer.alloc(1000));
  await new Promise((r) => setTimeout(r, 200));
  cancelled.close(http2.constants.NGHTTP2_CANCEL);
  const after = await request(s, '/echo-d', 'alice', Buffer.from('after-cancel'));
  out('client-rst then ' + after.headers['x-served-by'] + ' ' + after.body.toString());
  for (const user of ['alice', 'bob']) {
    const r = await request(s, '/rst', user, Buffer.alloc(0));
    out('server-rst ' + user + ' code=' + r.code);
  }
  const still = await request(s, '/echo-e', 'bob', Buffer.from('still-open'));
  out('after-server-rst ' + still.headers['x-served-by'] + ' ' + still.body.toString());
  for (const user of ['alice', 'bob']) {
    const g = http2.connect('http://' + host + ':' + port);
    g.on('error', () => {});
    const r = await request(g, '/goaway', user, Buffer.alloc(0));
    out('server-goaway ' + user + ' ' + (r.headers && r.headers['x-served-by']) + ' ' + (r.body && r.body.toString()));
    g.close();
  }
  await new Promise((r) => s.close(r));
  out('client-goaway closed');
})();
