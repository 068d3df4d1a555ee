// Half-close client: connect, optionally wait, send a known payload, end() (FIN), read to EOF.
// Usage: node half_close.js tcp HOST PORT DELAY_MS SIZE | unix PATH DELAY_MS SIZE
const net = require('net');
const a = process.argv.slice(2);
const opts = a[0] === 'tcp' ? { host: a[1], port: Number(a[2]) } : { path: a[1] };
const rest = a[0] === 'tcp' ? a.slice(3) : a.slice(2);
const delayMs = Number(rest[0]), size = Number(rest[1]);
const payload = Buffer.alloc(size);
for (let i = 0; i < size; i++) payload[i] = (i * 7 + 3) % 251;
const chunks = [];
const s = net.connect({ ...opts, allowHalfOpen: true });
s.setTimeout(30000, () => { console.log('timeout'); process.exit(3); });
s.on('data', d => chunks.push(d));
s.on('end', () => {
  const got = Buffer.concat(chunks);
  console.log(`sent=${size} got=${got.length} same=${got.equals(payload) ? 'True' : 'False'}`);
  s.destroy();
});
s.on('error', e => { console.log('error=' + e.code); process.exit(2); });
const go = () => { s.write(payload); s.end(); };
// 'connect' fires before anything could reach the pod: with no delay this is the immediate case
s.on('connect', () => (delayMs ? setTimeout(go, delayMs) : go()));
