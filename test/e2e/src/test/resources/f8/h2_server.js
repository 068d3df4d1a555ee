// The h2c server of the edge-case test (pod's app and local program alike, named in x-served-by):
// echoes a stream's body with gRPC-style trailers (grpc-status, the body's sha256); /rst resets
// the stream (RST_STREAM CANCEL) before answering; /goaway answers, then sends GOAWAY.
const http2 = require('http2');
const crypto = require('crypto');
const port = Number(process.argv[2]);
const name = process.argv[3];
const srv = http2.createServer();
srv.on('stream', (stream, headers) => {
  const path = headers[':path'];
  if (path.startsWith('/rst')) {
    stream.close(http2.constants.NGHTTP2_CANCEL);
    return;
  }
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    if (path.startsWith('/goaway')) {
      stream.respond({ ':status': 200, 'x-served-by': name });
      stream.end('bye');
      stream.session.goaway();
      return;
    }
    stream.respond(
      { ':status': 200, 'x-served-by': name, 'content-type': 'application/grpc' },
      { waitForTrailers: true });
    stream.on('wantTrailers', () =>
      stream.sendTrailers({
        'grpc-status': '0',
        'x-body-sha': crypto.createHash('sha256').update(body).digest('hex'),
      }));
    stream.end(body);
  });
});
srv.listen(port, '0.0.0.0', () => console.log('listening', port));
