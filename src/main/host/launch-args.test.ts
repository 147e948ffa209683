import { describe, expect, it } from 'vitest';
import { policyArg } from './launch-args';

describe('the window command line', () => {
  it('readsThePolicyDirectoryInEitherSpelling', () => {
    expect(policyArg(['/usr/bin/electron', '/app'])).toBeUndefined();
    expect(policyArg(['/usr/bin/electron', '/app', '--policy', 'models/mine'])).toBe('models/mine');
    expect(policyArg(['/usr/bin/electron', '/app', '--policy=models/mine'])).toBe('models/mine');
    expect(() => policyArg(['/app', '--policy'])).toThrow(/--policy needs a model directory/);
    expect(() => policyArg(['/app', '--policy', '--other'])).toThrow(/--policy needs a model directory/);
    expect(() => policyArg(['/app', '--policy='])).toThrow(/--policy needs a model directory/);
  });
});
