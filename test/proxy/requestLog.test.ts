import { describe, expect, it } from 'vitest';
import { RequestLog } from '../../src/main/proxy/requestLog';

const record = (id: string) => ({
  id,
  startedAt: 0,
  method: 'POST',
  path: '/v1/messages',
  state: 'pending' as const,
});

describe('RequestLog', () => {
  it('keeps only the newest records up to its capacity', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 10; i++) log.add(record(`r${i}`));
    expect(log.records().map((r) => r.id)).toEqual(['r7', 'r8', 'r9']);
    expect(log.find('r2')).toBeUndefined();
  });

  it('announces additions, updates and clearing, and survives a throwing listener', () => {
    const log = new RequestLog();
    const seen: string[] = [];
    log.subscribe(() => {
      throw new Error('broken window');
    });
    const unsubscribe = log.subscribe((r, kind) => seen.push(`${kind}:${r.id}:${r.state}`));
    const r = log.add(record('a'));
    log.update(r, { state: 'done', status: 200 });
    log.clear();
    unsubscribe();
    log.add(record('b'));
    expect(seen).toEqual(['added:a:pending', 'updated:a:done', 'cleared::done']);
    expect(log.records().map((x) => x.id)).toEqual(['b']);
  });

  it('hands out copies so callers cannot change the ring', () => {
    const log = new RequestLog();
    log.add(record('a'));
    log.records()[0].state = 'error';
    expect(log.find('a')!.state).toBe('pending');
  });
});
