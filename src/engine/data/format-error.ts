/** A line of a market data file that does not have the file's format: names the file, the line, what came and what was expected. */
export class DataFormatError extends Error {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly received: string;
  readonly expected: string;

  constructor(file: string, line: number, received: string, expected: string) {
    super(`${file}:${line}: expected ${expected}, received "${received}"`);
    this.name = 'DataFormatError';
    this.file = file;
    this.line = line;
    this.received = received;
    this.expected = expected;
  }
}
