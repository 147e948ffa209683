import { Decompress } from 'fzstd';

/**
 * Splits a zstd stream into its frames as the bytes arrive and decompresses each with fzstd, checking
 * every frame's content checksum (the low 32 bits of XXH64 of its content) when the frame carries one,
 * which fzstd itself does not. Skippable frames are skipped. The frame and block layout is RFC 8878's.
 */
export class ZstdFrames {
  private pending: Uint8Array = new Uint8Array(0);
  private state: 'magic' | 'header' | 'block' | 'body' | 'checksum' = 'magic';
  private need = 4;
  private bodyLeft = 0;
  private lastBlock = false;
  private hasChecksum = false;
  private frame: Decompress | null = null;
  private hash: Xxh64 | null = null;
  private skip = 0;
  private frames = 0;
  private readonly out: Uint8Array[] = [];

  /** Takes the next compressed bytes; returns the decompressed bytes they complete (possibly none). Throws on a bad frame or checksum. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.pending = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let pos = 0;
    const p = this.pending;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, p.length - pos);
        this.skip -= n;
        pos += n;
        if (this.skip > 0) break;
        continue;
      }
      if (this.state === 'body') {
        const n = Math.min(this.bodyLeft, p.length - pos);
        if (n > 0) this.feed(p.subarray(pos, pos + n));
        pos += n;
        this.bodyLeft -= n;
        if (this.bodyLeft > 0) break;
        this.state = this.lastBlock ? (this.hasChecksum ? 'checksum' : 'magic') : 'block';
        this.need = this.state === 'checksum' ? 4 : this.state === 'block' ? 3 : 4;
        if (this.state === 'magic') this.endFrame(null);
        continue;
      }
      if (p.length - pos < this.need) break;
      if (this.state === 'magic') {
        const magic = u32(p, pos);
        if (magic >>> 4 === 0x184d2a5) {
          if (p.length - pos < 8) break;
          this.skip = u32(p, pos + 4);
          pos += 8;
          continue;
        }
        if (magic !== 0xfd2fb528) throw new Error(`frame ${this.frames + 1} starts with 0x${magic.toString(16)}, expected the zstd magic 0xfd2fb528`);
        if (p.length - pos < 5) break;
        const fhd = p[pos + 4] as number;
        const single = (fhd & 0x20) !== 0;
        if ((fhd & 0x08) !== 0) throw new Error(`frame ${this.frames + 1} sets the reserved header bit`);
        const fcsFlag = fhd >> 6;
        const size = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + (fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!);
        this.hasChecksum = (fhd & 0x04) !== 0;
        this.state = 'header';
        this.need = size;
        continue;
      }
      if (this.state === 'header') {
        this.frame = new Decompress((data) => {
          this.out.push(data);
          this.hash?.update(data);
        });
        this.hash = this.hasChecksum ? new Xxh64() : null;
        this.feed(p.subarray(pos, pos + this.need));
        pos += this.need;
        this.state = 'block';
        this.need = 3;
        continue;
      }
      if (this.state === 'block') {
        const h = (p[pos] as number) | ((p[pos + 1] as number) << 8) | ((p[pos + 2] as number) << 16);
        const type = (h >> 1) & 3;
        if (type === 3) throw new Error(`frame ${this.frames + 1} has a block of the reserved type 3`);
        this.lastBlock = (h & 1) === 1;
        this.feed(p.subarray(pos, pos + 3));
        pos += 3;
        this.bodyLeft = type === 1 ? 1 : h >>> 3;
        this.state = 'body';
        continue;
      }
      // The content checksum.
      const expected = u32(p, pos);
      this.feed(p.subarray(pos, pos + 4));
      pos += 4;
      this.endFrame(expected);
      this.state = 'magic';
      this.need = 4;
    }
    this.pending = p.subarray(pos);
    return this.out.splice(0);
  }

  /** Call after the last chunk: throws when the stream ended inside a frame. */
  end(): void {
    if (this.state !== 'magic' || this.pending.length > 0 || this.skip > 0) throw new Error(`the stream ends inside frame ${this.frames + 1} (truncated)`);
    if (this.frames === 0) throw new Error('the stream holds no zstd frame');
  }

  private feed(bytes: Uint8Array): void {
    (this.frame as Decompress).push(bytes);
  }

  private endFrame(expected: number | null): void {
    (this.frame as Decompress).push(new Uint8Array(0), true);
    this.frames++;
    if (expected !== null && this.hash !== null) {
      const got = this.hash.digestLow32();
      if (got !== expected) throw new Error(`frame ${this.frames}'s content checksum is 0x${got.toString(16)}, the frame says 0x${expected.toString(16)} (corrupt)`);
    }
    this.frame = null;
    this.hash = null;
  }
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24)) >>> 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const M = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M;
}

function round(acc: bigint, lane: bigint): bigint {
  return (rotl((acc + lane * P2) & M, 31n) * P1) & M;
}

/** Streaming XXH64 with seed 0 (BigInt arithmetic modulo 2^64). */
export class Xxh64 {
  private v = [(P1 + P2) & M, P2, 0n, (M + 1n - P1) & M];
  private total = 0;
  private tail = new Uint8Array(32);
  private tailLen = 0;

  update(data: Uint8Array): void {
    this.total += data.length;
    let i = 0;
    if (this.tailLen > 0) {
      const n = Math.min(32 - this.tailLen, data.length);
      this.tail.set(data.subarray(0, n), this.tailLen);
      this.tailLen += n;
      i = n;
      if (this.tailLen < 32) return;
      this.stripe(this.tail, 0);
      this.tailLen = 0;
    }
    for (; i + 32 <= data.length; i += 32) this.stripe(data, i);
    if (i < data.length) {
      this.tail.set(data.subarray(i), 0);
      this.tailLen = data.length - i;
    }
  }

  /** Returns the low 32 bits of the digest (what a zstd frame stores). */
  digestLow32(): number {
    return Number(this.digest() & 0xffffffffn);
  }

  digest(): bigint {
    const [v1, v2, v3, v4] = this.v as [bigint, bigint, bigint, bigint];
    let h: bigint;
    if (this.total >= 32) {
      h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
      for (const v of [v1, v2, v3, v4]) h = (((h ^ round(0n, v)) * P1) + P4) & M;
    } else {
      h = P5;
    }
    h = (h + BigInt(this.total)) & M;
    const t = this.tail;
    let i = 0;
    const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
    for (; i + 8 <= this.tailLen; i += 8) h = ((rotl(h ^ round(0n, view.getBigUint64(i, true)), 27n) * P1) + P4) & M;
    if (i + 4 <= this.tailLen) {
      h = ((rotl((h ^ ((BigInt(view.getUint32(i, true)) * P1) & M)) & M, 23n) * P2) + P3) & M;
      i += 4;
    }
    for (; i < this.tailLen; i++) h = (rotl(h ^ ((BigInt(t[i] as number) * P5) & M), 11n) * P1) & M;
    h ^= h >> 33n;
    h = (h * P2) & M;
    h ^= h >> 29n;
    h = (h * P3) & M;
    h ^= h >> 32n;
    return h;
  }

  private stripe(b: Uint8Array, at: number): void {
    const view = new DataView(b.buffer, b.byteOffset + at, 32);
    const v = this.v;
    v[0] = round(v[0] as bigint, view.getBigUint64(0, true));
    v[1] = round(v[1] as bigint, view.getBigUint64(8, true));
    v[2] = round(v[2] as bigint, view.getBigUint64(16, true));
    v[3] = round(v[3] as bigint, view.getBigUint64(24, true));
  }
}
