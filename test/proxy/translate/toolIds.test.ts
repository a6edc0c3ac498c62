import { describe, expect, it } from 'vitest';
import {
  freshToolUseId,
  InboundToolIds,
  isValidToolCallId,
  OutboundToolIds,
  unwrapClientId,
} from '../../../src/main/proxy/translate/toolIds';

describe('OutboundToolIds', () => {
  it('keeps ids the backend accepts', () => {
    const ids = new OutboundToolIds(40);
    expect(ids.forCall('toolu_01ABCdef')).toBe('toolu_01ABCdef');
    expect(ids.forResult('toolu_01ABCdef')).toBe('toolu_01ABCdef');
  });

  it('rewrites invalid and over-long ids deterministically within the length limit', () => {
    const long = 'toolu_' + 'z'.repeat(60);
    const a = new OutboundToolIds(40);
    const b = new OutboundToolIds(40);
    const rewritten = a.forCall(long);
    expect(rewritten).toMatch(/^call_[a-z0-9]{24}$/);
    expect(b.forCall(long)).toBe(rewritten);
    expect(a.forResult(long)).toBe(rewritten);
    expect(a.forCall('id with spaces')).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });

  it('honours short length limits', () => {
    expect(new OutboundToolIds(9).forCall('toolu_0123456789')).toHaveLength(9);
  });

  it('disambiguates repeated ids and pairs results with the latest call', () => {
    const ids = new OutboundToolIds(40);
    const first = ids.forCall('call_0');
    expect(ids.forResult('call_0')).toBe(first);
    const second = ids.forCall('call_0');
    expect(second).not.toBe(first);
    expect(ids.forResult('call_0')).toBe(second);
  });

  it('returns undefined for a result without a call', () => {
    expect(new OutboundToolIds(40).forResult('toolu_nope')).toBeUndefined();
  });
});

describe('InboundToolIds', () => {
  it('passes valid unique ids, wraps duplicate, short and invalid ones, replaces missing ones', () => {
    const ids = new InboundToolIds();
    const fresh = /^toolu_[A-Za-z0-9]{24}$/;
    const wrapped = /^toolu_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+$/;
    expect(ids.assign('call_Xy12ab34Cd')).toBe('call_Xy12ab34Cd');
    expect(ids.assign(undefined)).toMatch(fresh);
    expect(ids.assign('')).toMatch(fresh);
    for (const issued of ['call_Xy12ab34Cd', 'call_0', 'call with space 123', 'functions.Bash:0']) {
      const id = ids.assign(issued);
      expect(id).toMatch(wrapped);
      // Reversible without state: the next request gives the backend back its own id.
      expect(unwrapClientId(id)).toBe(issued);
    }
    // Kimi restarts its counter every turn; the client still sees unique ids.
    expect(ids.assign('functions.Bash:0')).not.toBe(ids.assign('functions.Bash:0'));
    expect(unwrapClientId('toolu_01ABCdefGHIjkl')).toBeUndefined();
  });

  it('gives each backend its own id format back (Kimi functions.<name>:<n>, Mistral 9 alphanumerics)', () => {
    // Kimi: https://platform.moonshot.ai/docs/api/tool-use (ids `functions.<name>:<index>`).
    const kimiIssued = new InboundToolIds().assign('functions.Bash:0');
    const kimi = new OutboundToolIds(64, 'kimi');
    expect(kimi.forCall(kimiIssued, 'Bash')).toBe('functions.Bash:0');
    expect(kimi.forCall('call_fromOpenAI123', 'Read')).toBe('functions.Read:1');
    expect(kimi.forResult('call_fromOpenAI123')).toBe('functions.Read:1');
    // Mistral rejects anything but 9 alphanumerics (code 3280; BibekBhusal0/zen-custom-js#7).
    const mistral = new OutboundToolIds(9, 'alnum9');
    expect(mistral.forCall('D681PevKs')).toBe('D681PevKs');
    const foreign = mistral.forCall(kimiIssued);
    expect(foreign).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(new OutboundToolIds(9, 'alnum9').forCall(kimiIssued)).toBe(foreign);
    // Back on an OpenAI-style backend, Kimi's id (invalid there) becomes the client's id.
    expect(new OutboundToolIds(40).forCall(kimiIssued)).toBe(kimiIssued);
  });

  it('makes fresh ids in the Anthropic shape', () => {
    expect(freshToolUseId()).toMatch(/^toolu_[A-Za-z0-9]{24}$/);
    expect(freshToolUseId()).not.toBe(freshToolUseId());
    expect(isValidToolCallId(freshToolUseId(), 40)).toBe(true);
  });
});
