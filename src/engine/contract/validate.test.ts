import { describe, expect, it } from 'vitest';
import { boundedPlainData, decodeCommandText, decodeCommandMessage, validateCommand, MAX_COMMAND_CHARS, MAX_COMMAND_DEPTH, MAX_COMMAND_VALUES } from './validate';

describe('command validation', () => {
  it('acceptsAWellFormedCommand', () => {
    const v = validateCommand('KillAll', { reason: 'flash crash' });
    expect(v).toEqual({ ok: true, command: { name: 'KillAll', payload: { reason: 'flash crash' } } });
  });

  it('rejectsAnUnknownCommandNamingTheKnownOnes', () => {
    const v = validateCommand('LaunchMissiles', {});
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.error.code).toBe('UNKNOWN_COMMAND');
    expect(v.error.message).toContain('LaunchMissiles');
    expect(v.error.message).toContain('KillAll');
  });

  it('rejectsInheritedObjectKeysAsUnknown', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      const v = validateCommand(name, {});
      expect(v.ok ? 'accepted' : v.error.code).toBe('UNKNOWN_COMMAND');
    }
  });

  it('rejectsAMissingReasonWithThePathOfTheIssue', () => {
    const v = validateCommand('KillAll', {});
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.error.code).toBe('INVALID_PAYLOAD');
    expect(v.error.issues?.[0]?.path).toBe('reason');
  });

  it('takesABacktestStartTimeAndDecisionIntervalAndRefusesAnythingElseThere', () => {
    const backtest = { scenario: 'lobster:GOOG', seedFrom: 0, seedTo: 11, strategies: ['twap'], side: 'sell', quantity: 2000, horizonSeconds: 600 };
    expect(validateCommand('RunBacktest', { ...backtest, startTime: '12:00' }).ok).toBe(true);
    expect(validateCommand('RunBacktest', { ...backtest, startTime: '12:00:30' }).ok).toBe(true);
    expect(validateCommand('RunBacktest', backtest).ok).toBe(true);
    expect(validateCommand('RunBacktest', { ...backtest, intervalSeconds: 30 }).ok).toBe(true);
    for (const intervalSeconds of [7, 600, 0, 2.5]) {
      const v = validateCommand('RunBacktest', { ...backtest, intervalSeconds });
      expect(v.ok ? 'accepted' : v.error.issues?.[0]?.path).toBe('intervalSeconds');
    }
    for (const startTime of ['24:00', '9:00', '12:00:60', '12:00; rm -rf /', 12, '--start']) {
      const v = validateCommand('RunBacktest', { ...backtest, startTime });
      expect(v.ok ? 'accepted' : v.error.issues?.[0]?.path).toBe('startTime');
    }
  });

  it('rejectsABlankReason', () => {
    const v = validateCommand('PauseSession', { reason: '   ' });
    expect(v.ok ? 'accepted' : v.error.code).toBe('INVALID_PAYLOAD');
  });

  it('rejectsUnexpectedFields', () => {
    const v = validateCommand('KillAll', { reason: 'x', alsoFlatten: true });
    expect(v.ok ? 'accepted' : v.error.code).toBe('INVALID_PAYLOAD');
  });

  it('rejectsOutOfRangeAndNonFiniteNumbers', () => {
    for (const speed of [0, -1, 1e9, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
      const v = validateCommand('SetSpeed', { speed });
      expect(v.ok ? `accepted ${String(speed)}` : v.error.code).toBe('INVALID_PAYLOAD');
    }
  });

  it('rejectsAnOversizedCommandBeforeParsingIt', () => {
    const v = validateCommand('KillAll', { reason: 'x'.repeat(MAX_COMMAND_CHARS + 1) });
    expect(v.ok ? 'accepted' : v.error.code).toBe('COMMAND_TOO_LARGE');
  });

  it('rejectsAPayloadThatIsNotPlainData', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const v = validateCommand('KillAll', cyclic);
    expect(v.ok ? 'accepted' : v.error.code).toBe('MALFORMED_MESSAGE');
  });

  it('rejectsANonStringName', () => {
    for (const name of [undefined, null, 42, {}, '', 'x'.repeat(65)]) {
      const v = validateCommand(name, {});
      expect(v.ok ? 'accepted' : v.error.code).toBe('MALFORMED_MESSAGE');
    }
  });
});

describe('command messages', () => {
  it('decodesAValidMessageKeepingItsId', () => {
    const d = decodeCommandText(JSON.stringify({ t: 'cmd', id: 7, name: 'GetSnapshot', payload: {} }));
    expect(d).toEqual({ ok: true, id: 7, command: { name: 'GetSnapshot', payload: {} } });
  });

  it('answersMalformedJsonWithATypedError', () => {
    const d = decodeCommandText('{"t":"cmd",');
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.error.code).toBe('MALFORMED_MESSAGE');
    expect(d.id).toBeNull();
  });

  it('rejectsAnOversizedMessageText', () => {
    const d = decodeCommandText('x'.repeat(MAX_COMMAND_CHARS * 2));
    expect(d.ok ? 'accepted' : d.error.code).toBe('COMMAND_TOO_LARGE');
  });

  it('rejectsMessagesWithoutTheEnvelope', () => {
    for (const value of [null, [], 'KillAll', { name: 'KillAll', payload: { reason: 'x' } }, { t: 'cmd', id: -1, name: 'KillAll' }, { t: 'cmd', id: 1.5, name: 'KillAll' }]) {
      const d = decodeCommandMessage(value);
      expect(d.ok ? 'accepted' : d.error.code).toBe('MALFORMED_MESSAGE');
    }
  });

  it('keepsTheIdOfAnInvalidCommandSoTheReplyFindsItsCaller', () => {
    const d = decodeCommandMessage({ t: 'cmd', id: 3, name: 'SetSpeed', payload: { speed: -2 } });
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.id).toBe(3);
    expect(d.error.code).toBe('INVALID_PAYLOAD');
  });
});

describe('the edge against hostile messages', () => {
  /** A value nested `levels` deep: [[[…]]]. */
  function nested(levels: number): unknown {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = [v];
    return v;
  }

  it('refusesACommandNested4000LevelsDeepWithoutRecursing', () => {
    const text = JSON.stringify({ t: 'cmd', id: 3, name: 'KillAll', payload: { reason: nested(4000) } });
    expect(text.length).toBeLessThan(MAX_COMMAND_CHARS);
    const d = decodeCommandText(text);
    expect(d.ok ? 'accepted' : [d.error.code, d.id]).toEqual(['COMMAND_TOO_LARGE', 3]);
    expect(d.ok ? '' : d.error.message).toContain(`deeper than ${MAX_COMMAND_DEPTH} levels`);
  });

  it('refusesNestingFarBeyondWhatTheStackCouldRecurseThrough', () => {
    const v = validateCommand('KillAll', { reason: nested(200_000) });
    expect(v.ok ? 'accepted' : v.error.code).toBe('COMMAND_TOO_LARGE');
  });

  it('acceptsNestingUpToTheLimitAndLeavesTheRestToTheSchema', () => {
    expect(boundedPlainData(nested(MAX_COMMAND_DEPTH))).toBeNull();
    expect(boundedPlainData(nested(MAX_COMMAND_DEPTH + 1))?.code).toBe('COMMAND_TOO_LARGE');
    const v = validateCommand('KillAll', { reason: nested(4) });
    expect(v.ok ? 'accepted' : v.error.code).toBe('INVALID_PAYLOAD');
  });

  it('refusesTooManyValuesInAFlatPayload', () => {
    const v = validateCommand('KillAll', { reason: 'x', many: Array.from({ length: MAX_COMMAND_VALUES }, () => 0) });
    expect(v.ok ? 'accepted' : v.error.code).toBe('COMMAND_TOO_LARGE');
  });

  it('refusesValuesThatAreNotPlainJsonData', () => {
    for (const odd of [new Date(0), new Map(), () => 1, Symbol('s'), 10n]) {
      const v = validateCommand('KillAll', { reason: 'x', odd });
      expect(v.ok ? 'accepted' : v.error.code).toBe('MALFORMED_MESSAGE');
    }
  });

  it('refusesAnEnvelopeWithFieldsItDoesNotDefine', () => {
    const d = decodeCommandMessage({ t: 'cmd', id: 1, name: 'KillAll', payload: { reason: 'r' }, extra: 1 });
    expect(d.ok ? 'accepted' : [d.error.code, d.id]).toEqual(['MALFORMED_MESSAGE', 1]);
  });

  it('answersAnEmptyTextWithATypedError', () => {
    const d = decodeCommandText('');
    expect(d.ok ? 'accepted' : d.error.code).toBe('MALFORMED_MESSAGE');
  });
});
