// The HTTP program of the product benchmarks: node app.js NAME HOST PORT
// Answers every request with "NAME <path>" over keep-alive (small bodies, as a typical API answer)
// and counts what it served; GET /__count answers that count (and is not counted), so the benchmark
// can check which share of the requests reached this program.
const http = require('http');
const [name, host, port] = process.argv.slice(2);
let served = 0;
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/__count') {
      res.end(String(served));
      return;
    }
    served++;
    const body = name + ' ' + req.url;
    res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(port), host, () => console.log('listening', port));
