import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Readable, TransformOptions } from 'node:stream';
import type { ZlibOptions } from 'node:zlib';

const NEWLINE = 10;
const CR = 13;

/**
 * A file that cannot be read or gunzipped (missing, not gzip, a truncated gzip); names the file, the
 * last complete line read before the failure (when there was one) and what went wrong.
 */
export class FileReadError extends Error {
  readonly file: string;
  /** The last complete line read before the failure; 0 when none was. */
  readonly afterLine: number;

  constructor(file: string, cause: unknown, afterLine = 0) {
    const what = cause instanceof Error ? cause.message : String(cause);
    const where = afterLine > 0 ? ` after line ${afterLine.toLocaleString('en-US')}` : '';
    super(`${file}: cannot read it as ${file.endsWith('.gz') ? 'gzip text' : 'text'}${where}: ${what}`, { cause });
    this.name = 'FileReadError';
    this.file = file;
    this.afterLine = afterLine;
  }
}
const READ_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;
/** Gunzipped bytes kept ready ahead of the reader, so decompression (on the thread pool) overlaps parsing. */
const READ_AHEAD = 1 << 23;

/**
 * Streams the lines of a text file, gunzipping it on the way when its name ends in `.gz`. Lines are
 * handed out as byte ranges of an internal buffer, never as strings: `next()` moves to the next
 * complete line held in memory (`bytes[start, end)`, without the newline) and returns false when it
 * needs `fill()` to read more. Only the tail of a chunk (one partial line) is ever copied. A line
 * ends at LF; a CR just before it (CRLF files) is not part of the line, so every reader sees the
 * same line whichever ending the file has.
 */
export class ByteLines {
  /** The buffer the current line lives in; valid until the next `fill()`. */
  bytes: Buffer = Buffer.alloc(0);
  /** Start of the current line in `bytes`. */
  start = 0;
  /** End of the current line in `bytes` (exclusive, newline and a CR before it not included). */
  end = 0;
  /** 1-based number of the current line. */
  line = 0;

  private pos = 0;
  private ended = false;
  /** A chunk whose first line was joined to the previous chunk's tail, to be read once that line is served. */
  private pending: Buffer | undefined = undefined;
  private pendingPos = 0;
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly stream: Readable;

  /** Opens `path`; `chunkBytes` sets the read and gunzip chunk sizes (tests use tiny ones). */
  constructor(
    readonly path: string,
    chunkBytes?: number,
  ) {
    const file = createReadStream(path, { highWaterMark: chunkBytes ?? READ_CHUNK });
    if (path.endsWith('.gz')) {
      // zlib refuses chunks under 64 bytes.
      // zlib streams are Transforms and take the stream options too, which ZlibOptions does not list.
      const options: ZlibOptions & TransformOptions = { chunkSize: Math.max(64, chunkBytes ?? GUNZIP_CHUNK), readableHighWaterMark: READ_AHEAD };
      const gunzip = createGunzip(options);
      // pipeline forwards a read error (missing file) or a gunzip error (not gzip) to the consumer.
      this.stream = pipeline(file, gunzip, () => undefined);
    } else {
      this.stream = file;
    }
    this.chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** Moves to the next line already in memory; returns false when `fill()` is needed (or at the end). */
  next(): boolean {
    let nl = this.bytes.indexOf(NEWLINE, this.pos);
    if (nl < 0 && this.pending !== undefined) {
      // The line that straddled two chunks has been served: carry on in the chunk itself.
      this.bytes = this.pending;
      this.pos = this.pendingPos;
      this.pending = undefined;
      nl = this.bytes.indexOf(NEWLINE, this.pos);
    }
    if (nl >= 0) {
      this.start = this.pos;
      this.end = nl > this.pos && this.bytes[nl - 1] === CR ? nl - 1 : nl;
      this.pos = nl + 1;
      this.line++;
      return true;
    }
    if (this.ended && this.pos < this.bytes.length) {
      // The last line of a file without a final newline.
      const last = this.bytes.length;
      this.start = this.pos;
      this.end = this.bytes[last - 1] === CR ? last - 1 : last;
      this.pos = last;
      this.line++;
      return true;
    }
    return false;
  }

  /** Reads the next chunk, keeping the unfinished line; returns false once the file is exhausted. */
  async fill(): Promise<boolean> {
    if (this.ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.chunks.next();
    } catch (err) {
      this.ended = true;
      throw new FileReadError(this.path, err, this.line);
    }
    const rest = this.bytes.length - this.pos;
    if (r.done) {
      this.ended = true;
      return rest > 0;
    }
    const chunk = r.value;
    if (rest === 0) {
      this.bytes = chunk;
    } else {
      // Copy only the unfinished line and the start of the chunk up to its first newline.
      const nl = chunk.indexOf(NEWLINE);
      const head = nl < 0 ? chunk.length : nl + 1;
      const joined = Buffer.allocUnsafe(rest + head);
      this.bytes.copy(joined, 0, this.pos);
      chunk.copy(joined, rest, 0, head);
      this.bytes = joined;
      if (head < chunk.length) {
        this.pending = chunk;
        this.pendingPos = head;
      }
    }
    this.pos = 0;
    return true;
  }

  /** Moves to the next line, reading as needed; returns false at the end of the file. */
  async nextLine(): Promise<boolean> {
    while (!this.next()) {
      if (!(await this.fill())) return false;
    }
    return true;
  }

  /** Stops reading and releases the file. */
  close(): void {
    this.stream.destroy();
  }
}
