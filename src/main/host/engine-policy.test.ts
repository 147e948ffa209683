import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostInfo, PolicyReport } from '../../engine/contract/index';
import { DEFAULT_POLICY_DIR } from '../../engine/node/models/policy-files';
import { EngineHost } from './engine-host';

const WORKER = resolve(__dirname, 'engine-worker.ts');
const dir = mkdtempSync(join(tmpdir(), 'cockpit-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function engine(policyDir: string): EngineHost {
  return new EngineHost({ seed: 5, dataDir: null, appVersion: 'test', backend: 'cpu', policyDir }, WORKER, require.resolve('tsx/cjs'));
}

describe('the session runs the policy it is given', () => {
  it('runsAndReportsAPromotedPolicyDirectory', async () => {
    const mine = join(dir, 'my-policy');
    cpSync(resolve(__dirname, '../../..', DEFAULT_POLICY_DIR), mine, { recursive: true });
    const host = engine(mine);
    try {
      await host.ready();
      const r = await host.request('GetSnapshot', {});
      expect(r.ok).toBe(true);
      const info = (r as { value: { host: HostInfo } }).value.host;
      expect(info.policyDir).toBe(mine);
      expect(info.backendDetail).toContain('policy my-policy decides');
      // Its model card comes with it, tables included.
      expect(info.policyReport).not.toHaveProperty('problem');
      expect((info.policyReport as PolicyReport).evaluations.length).toBeGreaterThan(0);
    } finally {
      await host.stop();
    }
  }, 30_000);

  it('refusesToStartOnADirectoryWithoutAPolicy', async () => {
    const host = engine(join(dir, 'empty'));
    try {
      await expect(host.ready()).rejects.toThrow(/no policy\.json in .*empty/);
    } finally {
      await host.stop();
    }
  }, 30_000);
});
