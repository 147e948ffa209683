import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, serveCockpit, test } from './fixtures';
import { CockpitPage } from './pages/cockpit-page';

/** Reads "event N / M · HH:MM:SS.mmm · state" from the replay bar. */
async function position(window: CockpitPage): Promise<{ seq: number; last: number; time: string; state: string }> {
  const text = (await window.page.getByTestId('replay-position').textContent()) ?? '';
  const m = /event ([\d,]+) \/ ([\d,]+) · ([\d:.]+) · (\w+)/.exec(text);
  if (m === null) throw new Error(`the replay bar says "${text}"`);
  return { seq: Number(m[1]!.replace(/,/g, '')), last: Number(m[2]!.replace(/,/g, '')), time: m[3]!, state: m[4]! };
}

// A session recorded by one run of the cockpit is listed by the next, opened in its window as a
// replay (every panel fed the recorded stream, nothing sent to a market), moved on its timeline,
// stepped, branched there with other limits (compared side by side, the branch replayed), played
// to its end, and closed back to the live session.
test('opensARecordedSessionSeeksStepsBranchesPlaysAndGoesBackToLive', async ({ page }) => {
  test.setTimeout(150_000);
  const first = await serveCockpit(['--speed', '50']);
  const dataDir = first.served.dataDir;
  let second: Awaited<ReturnType<typeof serveCockpit>> | null = null;
  try {
    const window = new CockpitPage(page);
    await window.open(first.served.url);
    await window.setSpeed(25, 'e2e: a human action for the timeline');
    // Enough of a session to replay: the agents have traded.
    await expect(page.getByTestId('decisions-feed')).toContainText('POV', { timeout: 30_000 });
    const recordedId = (await page.getByTestId('session-id').textContent()) ?? '';
    expect(recordedId).toMatch(/-s42$/);
    await first.stop({ keepDataDir: true });

    second = await serveCockpit(['--speed', '5', '--seed', '43'], { dataDir });
    await window.open(second.served.url);
    const liveId = (await page.getByTestId('session-id').textContent()) ?? '';
    expect(liveId).toMatch(/-s43$/);

    // The list: the recorded session closed cleanly, the live one recording.
    await page.locator('[data-testid="view-replay"]:visible').click();
    const row = page.locator(`[data-testid="session-row"][data-session="${recordedId}"]`);
    await expect(row).toContainText('✓ closed');
    await expect(page.locator(`[data-testid="session-row"][data-session="${liveId}"]`)).toContainText('recording');
    await row.getByTestId('session-open').click();

    // Open: paused at its start, every panel on the recorded session.
    const bar = page.getByTestId('replay-bar');
    await expect(bar).toBeVisible();
    await expect(page.getByTestId('replay-session')).toHaveText(recordedId);
    await expect(page.getByTestId('session-id')).toHaveText(recordedId);
    await expect(window.engineState).toHaveText('paused');
    await expect(page.getByTestId('legend-action')).toContainText('1 human actions');
    await expect(page.getByTestId('legend-fill')).not.toContainText(/^▲ 0 /);
    const start = await position(window);
    expect(start.seq).toBe(0);
    expect(start.last).toBeGreaterThan(100);

    // Seek: a click in the middle of the timeline moves there, the panels rebuilt at that moment.
    const box = (await page.getByTestId('replay-timeline').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => (await position(window)).seq, { timeout: 10_000 }).toBeGreaterThan(0);
    const middle = await position(window);
    expect(middle.seq).toBeLessThan(middle.last);
    await expect(window.simClock).toHaveText(middle.time);
    await expect(window.depthBids.first()).toBeVisible();
    await page.screenshot({ path: join(ROOT, 'docs', 'replay.png') });

    // Step: one event on.
    await page.getByTestId('replay-step').click();
    await expect.poll(async () => (await position(window)).seq).toBe(middle.seq + 1);

    // Nothing the replaying window sends reaches a market.
    await window.liveTab.click();
    await page.locator('.row-actions button.danger:visible').first().click();
    await window.confirmReason('e2e: from a replay');
    await expect(page.getByTestId('toast').filter({ hasText: 'READ_ONLY' })).toBeVisible();

    // What-if from this moment: smaller clips from here on, compared side by side with the record.
    const at = (await position(window)).seq;
    await page.getByTestId('replay-branch').click();
    await expect(page.getByTestId('branch-form')).toContainText(`at event ${at.toLocaleString('en-US')}`);
    await page.getByTestId('branch-run').click();
    await expect(page.getByTestId('branch-error')).toContainText('Choose another policy or change a limit');
    await page.getByTestId('branch-limit-maxOrderLots').fill('40');
    await page.getByTestId('branch-run').click();
    await window.confirmReason('e2e: smaller clips from here');
    const comparison = page.getByTestId('comparison');
    await expect(comparison).toBeVisible({ timeout: 60_000 });
    const parts = Number(((await page.getByTestId('comparison-parts').textContent()) ?? '').match(/parts at event ([\d,]+)/)?.[1]?.replace(/,/g, ''));
    expect(parts).toBeGreaterThan(at);
    await expect(comparison.getByTestId('comparison-agent').first()).toContainText('Shortfall vs arrival');
    const branchRow = page.getByTestId('session-row').filter({ has: page.getByTestId('session-parent') });
    await expect(branchRow.getByTestId('session-parent')).toContainText(`branch of ${recordedId} at event ${at.toLocaleString('en-US')}`);
    await page.screenshot({ path: join(ROOT, 'docs', 'what-if.png') });

    // The branch is a session of its own: it replays.
    await page.getByTestId('comparison-open-branch').click();
    await expect(page.getByTestId('replay-session')).not.toHaveText(recordedId);
    await expect(window.engineState).toHaveText('paused');

    // Play as fast as possible to the end.
    await page.getByTestId('replay-speed').selectOption('max');
    await page.getByTestId('replay-play').click();
    await expect.poll(async () => (await position(window)).state, { timeout: 30_000 }).toBe('ended');
    const end = await position(window);
    expect(end.seq).toBe(end.last);

    // Back to live: the live session, running.
    await page.getByTestId('replay-close').click();
    await expect(bar).toBeHidden();
    await expect(page.getByTestId('session-id')).toHaveText(liveId);
    await expect(window.engineState).toHaveText('running');
  } finally {
    await second?.stop({ keepDataDir: true });
    await first.stop({ keepDataDir: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
