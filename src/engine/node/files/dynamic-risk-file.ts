import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dynamicRiskConfigSchema, type DynamicRiskConfig } from '../../risk/dynamic/monitor';

/** Where the fitted dynamic-risk parameters ship, relative to the application root (`cockpit risk fit` writes them). */
export const DYNAMIC_RISK_FILE = join('resources', 'risk', 'dynamic-risk.json');

/** The file: the monitor's configuration, and how it was obtained. */
const fileSchema = z.object({ config: dynamicRiskConfigSchema, rule: z.string(), command: z.string(), data: z.array(z.string()) }).passthrough();

/** Reads the fitted parameters from `path`; a missing, malformed or impossible file is an error naming the path and what is wrong. */
export function readDynamicRiskConfig(path: string): DynamicRiskConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the dynamic-risk parameters ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const r = fileSchema.safeParse(raw);
  if (!r.success) throw new Error(`the dynamic-risk parameters ${path} are not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data.config;
}
