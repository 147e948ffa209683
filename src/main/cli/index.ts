import { Command, CommanderError } from 'commander';
import { CliError } from './output';
import { APP_VERSION } from '../version';
import { registerServe } from './commands/serve';
import { registerBenchBook } from './commands/bench-book';
import { registerLobster } from './commands/lobster';
import { registerBinance } from './commands/binance';
import { registerDatabento } from './commands/databento';
import { registerSim } from './commands/sim';
import { registerBacktest, registerBacktestCompare } from './commands/backtest';
import { registerBenchSim } from './commands/bench-sim';
import { registerEvaluate, registerTrain } from './commands/train';
import { registerBenchPolicy } from './commands/bench-policy';
import { registerRisk } from './commands/risk';
import { registerBenchRisk } from './commands/bench-risk';
import { registerReplay, registerSessions } from './commands/sessions';
import { registerBenchJournal } from './commands/bench-journal';
import { registerSignal } from './commands/signal';
import { registerBenchSignal } from './commands/bench-signal';

/** Builds the `cockpit` program; each domain registers its own subcommands. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('cockpit')
    .description('Trader Cockpit: supervise autonomous trading agents; headless tools for research.')
    .version(APP_VERSION, '-v, --version')
    .showHelpAfterError()
    .exitOverride();

  registerServe(program);
  registerLobster(program);
  registerBinance(program);
  registerDatabento(program);
  registerSim(program);
  registerBacktest(program);
  registerBacktestCompare(program);
  registerTrain(program);
  registerEvaluate(program);
  registerRisk(program);
  registerSessions(program);
  registerReplay(program);
  registerSignal(program);

  const bench = program.command('bench').description('benchmarks: figures printed side by side in one run');
  registerBenchBook(bench);
  registerBenchSim(bench);
  registerBenchPolicy(bench);
  registerBenchRisk(bench);
  registerBenchJournal(bench);
  registerBenchSignal(bench);

  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof CliError) {
      process.stderr.write(`cockpit: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

void main(process.argv);
