// Minimal keep-alive HTTP app for the incoming benchmarks: node app.js NAME HOST PORT
// Answers "NAME <path>" (13-ish bytes) so bodies stay small, as in B1's small-body case.
const http = require('http');
const [name, host, port] = process.argv.slice(2);
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = name + ' ' + req.url;
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(port), host);
