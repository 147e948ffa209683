import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, serveCockpit, test } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';

/** Runs the built `cockpit` CLI and returns what it printed on stdout, whatever its exit code (`replay verify` exits 1 on a difference, and says which). */
function cockpit(args: string[]): string {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'cockpit.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.stdout.length === 0) throw new Error(`cockpit ${args.join(' ')} printed nothing (exit ${run.status}): ${run.stderr}`);
  return run.stdout;
}

// A session the trader drives from the window (a speed change, a limits override, a kill), stopped
// as Ctrl+C stops it, is listed as ended cleanly and re-simulates from its seed and its journaled
// commands to the identical event stream.
// On a loaded machine a sandboxed agent may miss its decision deadline and be halted live; the
// re-simulation feeds that recorded miss back (workflows/resimulate.ts), so the stream stays identical.
test('aSessionDrivenFromTheWindowReSimulatesToTheIdenticalStream', async ({ page }) => {
  test.setTimeout(120_000);
  const { served, stop } = await serveCockpit(['--speed', '20']);
  try {
    const window = new CockpitPage(page);
    await window.open(served.url);
    await window.setSpeed(10, 'e2e: slower for the record');
    await window.openRiskView();
    await window.editLimits({ 'perAgent.maxOrderLots': '900' });
    await page.getByTestId('limits-apply').click();
    await window.confirmReason('e2e: smaller clips');
    await expect(window.limitsForm).toBeHidden();
    await window.killEverything('e2e: kill for the record');
    await expect(window.sessionTradingState).toHaveText('HALTED');
    await stop({ keepDataDir: true });

    // The server's one session, as the list reads it from the data folder.
    const list = JSON.parse(cockpit(['sessions', 'list', '--data-dir', served.dataDir, '--json'])) as { sessions: Array<{ ok: boolean; end: string; meta: { sessionId: string } | null }> };
    expect(list.sessions).toMatchObject([{ ok: true, end: 'clean', meta: { sessionId: expect.stringMatching(/-s42$/) } }]);
    const sessionId = list.sessions[0]!.meta!.sessionId;
    expect(served.lines.join('\n')).toContain(`session ${sessionId}`);
    const verdict = JSON.parse(cockpit(['replay', 'verify', sessionId, '--data-dir', served.dataDir, '--json'])) as Record<string, unknown>;
    expect(verdict).toMatchObject({ identical: true, firstDivergenceSeq: null });
    // The window's GetSnapshot, the speed, the limits and the kill reached the session and were fed back.
    expect(verdict.commandsApplied as number).toBeGreaterThanOrEqual(3);
    expect(verdict.events as number).toBeGreaterThan(100);
    expect(verdict.replayedHash).toBe(verdict.recordedHash);
  } finally {
    await stop();
    rmSync(served.dataDir, { recursive: true, force: true });
  }
});
