// Draws Turnout's tray and app icons as PNG files, so they are reproducible from this file:
//   node resources/generate-icons.mjs
// The mark is a ring (the loop of a rail switch) with a state glyph inside: a dot when running,
// two bars when paused, an exclamation mark on error, a half dot when a provider is down or a
// fallback is serving (degraded). macOS gets black *Template.png images,
// which the menu bar tints; other platforms get coloured ones.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in a unit square (0..1), as "is this point inside" tests.
const ring = (x, y) => {
  const d = Math.hypot(x - 0.5, y - 0.5);
  return d <= 0.46 && d >= 0.34;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const glyphs = {
  running: (x, y) => Math.hypot(x - 0.5, y - 0.5) <= 0.17,
  paused: (x, y) => rect(0.38, 0.33, 0.46, 0.67)(x, y) || rect(0.54, 0.33, 0.62, 0.67)(x, y),
  error: (x, y) => rect(0.455, 0.27, 0.545, 0.58)(x, y) || Math.hypot(x - 0.5, y - 0.7) <= 0.055,
  degraded: (x, y) => Math.hypot(x - 0.5, y - 0.5) <= 0.17 && x <= 0.5,
};
const colours = {
  running: [46, 160, 67],
  paused: [150, 150, 150],
  error: [210, 50, 45],
  degraded: [225, 150, 20],
};

function draw(size, inside, rgb) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          if (inside((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits += 1;
        }
      }
      const i = (py * size + px) * 4;
      pixels[i] = rgb[0];
      pixels[i + 1] = rgb[1];
      pixels[i + 2] = rgb[2];
      pixels[i + 3] = Math.round((255 * hits) / (samples * samples));
    }
  }
  return encodePng(size, pixels);
}

for (const state of Object.keys(glyphs)) {
  const shape = (x, y) => ring(x, y) || glyphs[state](x, y);
  writeFileSync(join(here, `tray-${state}.png`), draw(16, shape, colours[state]));
  writeFileSync(join(here, `tray-${state}@2x.png`), draw(32, shape, colours[state]));
  writeFileSync(join(here, `tray-${state}Template.png`), draw(16, shape, [0, 0, 0]));
  writeFileSync(join(here, `tray-${state}Template@2x.png`), draw(32, shape, [0, 0, 0]));
}
const appShape = (x, y) => ring(x, y) || glyphs.running(x, y);
writeFileSync(join(here, 'icon.png'), draw(512, appShape, colours.running));
console.log('icons written to', here);
