/** Bytes of a spec file → text, or why they are not UTF-8 text. */
export type Decoded = { ok: true; text: string } | { ok: false; offset: number; reason: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function decodeUtf8(bytes: Uint8Array): Decoded {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, offset: 0, reason: 'the file is UTF-16 (it starts with a UTF-16 byte order mark)' };
  }
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? 3 : 0;
  const invalid = firstInvalidUtf8(bytes, start);
  if (invalid !== -1) return { ok: false, offset: invalid, reason: `byte 0x${bytes[invalid]!.toString(16).padStart(2, '0')} is not valid UTF-8` };
  const nul = bytes.indexOf(0, start);
  if (nul !== -1) return { ok: false, offset: nul, reason: 'the file holds a NUL byte (binary data)' };
  return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('utf8') };
}

/** Offset of the first byte that breaks UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
