// Draws media/icon.png (128×128, the Marketplace icon): a falling loss curve on a dark tile with a
// dashed marker where a step-decay drop would be flagged. Pure Node (zlib for the PNG), no art copied.
//   node scripts/make-icon.mjs
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const N = 128;
const px = new Float32Array(N * N * 4); // straight RGBA in [0, 1]

function blend(x, y, [r, g, b], a) {
  if (x < 0 || y < 0 || x >= N || y >= N || a <= 0) return;
  const i = (y * N + x) * 4;
  const da = px[i + 3];
  const oa = a + da * (1 - a);
  for (const [k, c] of [[0, r], [1, g], [2, b]]) px[i + k] = (c * a + px[i + k] * da * (1 - a)) / (oa || 1);
  px[i + 3] = oa;
}

// The tile: a rounded square, anti-aliased by 4×4 supersampling.
const R = 22;
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    let cover = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const fx = x + (sx + 0.5) / 4;
        const fy = y + (sy + 0.5) / 4;
        const dx = Math.max(R - fx, 0, fx - (N - R));
        const dy = Math.max(R - fy, 0, fy - (N - R));
        if (dx * dx + dy * dy <= R * R) cover++;
      }
    const t = y / N;
    blend(x, y, [0.11 + 0.05 * t, 0.14 + 0.04 * t, 0.22 + 0.06 * t], cover / 16);
  }

// A thick anti-aliased polyline: distance from each pixel to the nearest segment.
function stroke(points, width, color, dash) {
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      let best = Infinity;
      let along = 0;
      let run = 0;
      for (let k = 1; k < points.length; k++) {
        const [ax, ay] = points[k - 1];
        const [bx, by] = points[k];
        const vx = bx - ax;
        const vy = by - ay;
        const len2 = vx * vx + vy * vy;
        const u = Math.max(0, Math.min(1, ((x + 0.5 - ax) * vx + (y + 0.5 - ay) * vy) / len2));
        const d = Math.hypot(ax + u * vx - x - 0.5, ay + u * vy - y - 0.5);
        if (d < best) {
          best = d;
          along = run + u * Math.sqrt(len2);
        }
        run += Math.sqrt(len2);
      }
      if (dash && along % (dash[0] + dash[1]) > dash[0]) continue;
      blend(x, y, color, Math.max(0, Math.min(1, width / 2 + 0.5 - best)));
    }
}

// Grid lines, faint.
for (const gy of [40, 64, 88]) stroke([[20, gy], [108, gy]], 1, [0.5, 0.56, 0.68], undefined);
// The marker: where the LR dropped.
stroke([[66, 22], [66, 106]], 3, [0.95, 0.3, 0.3], [6, 5]);
// The loss: a fast fall, a plateau, a cliff at the drop, then a slow tail.
const loss = [];
for (let i = 0; i <= 60; i++) {
  const x = 20 + (88 * i) / 60;
  const before = 34 + 44 * (1 - Math.exp(-i / 9));
  const y = x < 66 ? before : before + 14 * (1 - Math.exp(-(x - 66) / 4)) + 0.12 * (x - 66);
  loss.push([x, y]);
}
stroke(loss, 5, [0.22, 0.58, 1], undefined);

// PNG: 8-bit RGBA, filter 0 per row.
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N * 4; x++) raw[y * (N * 4 + 1) + 1 + x] = Math.round(Math.max(0, Math.min(1, px[y * N * 4 + x])) * 255);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
fs.mkdirSync(new URL('../media/', import.meta.url), { recursive: true });
fs.writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
