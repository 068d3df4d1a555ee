// h2c (HTTP/2 prior knowledge) app: node h2_app.js NAME HOST PORT
// Answers "NAME METHOD PATH body=N" with a trailer-free response; reads the whole request body first.
const http2 = require('http2');
const [name, host, port] = process.argv.slice(2);
const server = http2.createServer();
server.on('stream', (stream, headers) => {
  let n = 0;
  stream.on('data', (c) => { n += c.length; });
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'x-served-by': name });
    stream.end(`${name} ${headers[':method']} ${headers[':path']} body=${n}`);
  });
});
server.listen(Number(port), host);
