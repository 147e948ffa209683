/** Prints a report: JSON on stdout with `--json`, otherwise the readable text. */
export function printReport(report: unknown, json: boolean | undefined, human: () => string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${human()}\n`);
  }
}

/** An error the user can act on: printed as one line, exit code 1, no stack. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Formats rows as an aligned text table; the first row is the header. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(3);
}

/** Parses a positive integer option, naming the option in the error. */
export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`${name} must be a positive integer, received "${value}"`);
    return n;
  };
}

/** Parses an option that takes one of `choices`, naming the option and the choices in the error. */
export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    const choice = choices.find((c) => c === value);
    if (choice === undefined) throw new CliError(`${name} must be one of ${choices.join(', ')}, received "${value}"`);
    return choice;
  };
}
