import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteLines, FileReadError } from './gzip-lines';

async function readAll(path: string, chunkBytes?: number): Promise<Array<[number, string]>> {
  const lines = new ByteLines(path, chunkBytes);
  const out: Array<[number, string]> = [];
  while (await lines.nextLine()) out.push([lines.line, lines.bytes.toString('latin1', lines.start, lines.end)]);
  lines.close();
  return out;
}

describe('byte lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gzip-lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = Array.from({ length: 500 }, (_, i) => `${i},${'x'.repeat(i % 97)}`).join('\n');

  it('splitsLinesThatStraddleChunksOfAnySize', async () => {
    const gz = join(dir, 'lines.txt.gz');
    writeFileSync(gz, gzipSync(`${text}\n`));
    const expected = text.split('\n').map((l, i): [number, string] => [i + 1, l]);
    for (const chunk of [64, 65, 100, 1000, 1 << 16]) expect(await readAll(gz, chunk)).toEqual(expected);
  });

  it('readsPlainTextAndALastLineWithoutNewline', async () => {
    const plain = join(dir, 'lines.txt');
    const short = text.split('\n').slice(0, 60).join('\n');
    writeFileSync(plain, short);
    const expected = short.split('\n').map((l, i): [number, string] => [i + 1, l]);
    for (const chunk of [1, 7, 4096]) expect(await readAll(plain, chunk)).toEqual(expected);
  });

  it('keepsEmptyLinesSoLineNumbersStayTrue', async () => {
    const plain = join(dir, 'gaps.txt');
    writeFileSync(plain, 'a\n\nb\n');
    expect(await readAll(plain, 2)).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
    ]);
  });

  it('readsAnEmptyFileAsNoLines', async () => {
    const empty = join(dir, 'empty.txt.gz');
    writeFileSync(empty, gzipSync(''));
    expect(await readAll(empty)).toEqual([]);
  });

  it('dropsTheCarriageReturnOfCrlfLinesAtChunkEdgesToo', async () => {
    const crlf = join(dir, 'crlf.txt.gz');
    const rows = ['34200.017459617,5,0,1,2238200,-1', '34200.18960767,1,11885113,21,2238100,1', '', '34200.190226476,4,11885113,21,2238100,1'];
    writeFileSync(crlf, gzipSync(`${rows.join('\r\n')}\r\n`));
    const expected = rows.map((l, i): [number, string] => [i + 1, l]);
    for (const chunk of [64, 70, 1 << 16]) expect(await readAll(crlf, chunk)).toEqual(expected);
    const plain = join(dir, 'crlf.txt');
    writeFileSync(plain, rows.join('\r\n'));
    for (const chunk of [1, 2, 3, 4096]) expect(await readAll(plain, chunk)).toEqual(expected);
  });

  it('namesTheLastLineReadWhenAGzipIsTruncated', async () => {
    const truncated = join(dir, 'truncated.txt.gz');
    const whole = gzipSync(`${text}\n`);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const lines = new ByteLines(truncated, 64);
    let read = 0;
    const err = await (async () => {
      while (await lines.nextLine()) read = lines.line;
    })().catch((e: unknown) => e);
    lines.close();
    expect(err).toBeInstanceOf(FileReadError);
    expect((err as FileReadError).afterLine).toBe(read);
    expect(read).toBeGreaterThan(0);
    expect((err as FileReadError).message).toBe(`${truncated}: cannot read it as gzip text after line ${read.toLocaleString('en-US')}: unexpected end of file`);
  });

  it('namesTheFileWhenItIsNotGzip', async () => {
    const fake = join(dir, 'fake.txt.gz');
    writeFileSync(fake, 'plain text');
    await expect(readAll(fake)).rejects.toThrow(FileReadError);
    await expect(readAll(fake)).rejects.toThrow(/fake\.txt\.gz: cannot read it as gzip text/);
  });
});
