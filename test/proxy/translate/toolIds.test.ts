import { describe, expect, it } from 'vitest';
import {
  freshToolUseId,
  InboundToolIds,
  isValidToolCallId,
  OutboundToolIds,
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
  it('passes valid unique ids and replaces missing, duplicate, short and invalid ones', () => {
    const ids = new InboundToolIds();
    const fresh = /^toolu_[A-Za-z0-9]{24}$/;
    expect(ids.assign('call_Xy12ab34Cd')).toBe('call_Xy12ab34Cd');
    expect(ids.assign('call_Xy12ab34Cd')).toMatch(fresh);
    expect(ids.assign(undefined)).toMatch(fresh);
    expect(ids.assign('')).toMatch(fresh);
    expect(ids.assign('call_0')).toMatch(fresh);
    expect(ids.assign('call with space 123')).toMatch(fresh);
  });

  it('makes fresh ids in the Anthropic shape', () => {
    expect(freshToolUseId()).toMatch(/^toolu_[A-Za-z0-9]{24}$/);
    expect(freshToolUseId()).not.toBe(freshToolUseId());
    expect(isValidToolCallId(freshToolUseId(), 40)).toBe(true);
  });
});
