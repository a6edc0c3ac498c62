/**
 * Keeps `npm run bench` from rotting: runs it with tiny counts (`--smoke`: the same processes,
 * scenarios and leak check, a few hundred requests) and checks that it produced a complete,
 * well-formed result with zero errors. Timings are not asserted: CI machines are too noisy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareResults } from '../../bench/compare';
import type { BenchResult } from '../../bench/report';

const dir = mkdtempSync(join(tmpdir(), 'turnout-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', ...args],
      { cwd: join(__dirname, '..', '..'), timeout: 120_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

describe('npm run bench --smoke', () => {
  it('measures every scenario for proxy and direct, memory and start-up, with no errors', async () => {
    const out = join(dir, 'smoke.json');
    const run = await runBench(['--smoke', '--out', out]);
    expect(run.stderr + run.stdout).not.toMatch(/Error:/);
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;

    expect(result.mode).toBe('smoke');
    expect(result.totalErrors).toBe(0);
    expect(result.scenarios.map((s) => s.name)).toEqual([
      'json c1',
      'json c50',
      'stream c1',
      'stream c50',
      'responses stream c50',
      'long 675KB',
      'long 1.7MB',
    ]);
    // No peer unless asked for (--peer ccr needs the npm registry).
    expect(result.peer).toBeNull();
    for (const s of result.scenarios) {
      expect(s.peer).toBeUndefined();
      for (const r of [s.direct, s.proxy]) {
        expect(r.errors).toBe(0);
        expect(r.requests).toBeGreaterThan(0);
        for (const v of [r.rps, r.latencyMs.p50, r.latencyMs.p99, r.ttfbMs.p50]) expect(finite(v)).toBe(true);
        if (s.stream) expect(finite(r.ttftMs?.p50)).toBe(true);
        else expect(r.ttftMs).toBeNull();
      }
      expect(finite(s.ratios.throughput)).toBe(true);
      expect(finite(s.ratios.addedP50Ms)).toBe(true);
      expect(finite(s.ratios.addedTtfbP50Ms)).toBe(true);
      expect(finite(s.proxyCpuUsPerRequest)).toBe(true);
      if (s.stream) expect(finite(s.ratios.addedTtftP50Ms)).toBe(true);
    }
    expect(result.memory.idleMB).toBeGreaterThan(10);
    expect(result.memory.peakMB).toBeGreaterThanOrEqual(result.memory.idleMB);
    expect(result.memory.afterRoundsMB.length).toBeGreaterThanOrEqual(2);
    expect(finite(result.memory.growthMB)).toBe(true);
    expect(result.startup.runsMs.length).toBeGreaterThanOrEqual(1);
    expect(result.startup.medianMs).toBeGreaterThan(0);
    // The long-session requests are the sizes the scenarios are named for.
    const sizes = result.scenarios.filter((s) => s.name.startsWith('long ')).map((s) => s.requestBytes);
    expect(sizes[0]).toBeGreaterThan(600_000);
    expect(sizes[0]).toBeLessThan(700_000);
    expect(sizes[1]).toBeGreaterThan(1_600_000);
    expect(sizes[1]).toBeLessThan(1_800_000);
    expect(result.targets.map((t) => t.id)).toEqual([
      'stream-c50-throughput',
      'long-675KB-added-ttfb',
      'long-linear',
      'json-c1-added-p50',
      'stream-c1-added-ttft',
      'memory-idle',
      'memory-after',
      'memory-growth',
      'startup',
    ]);
    expect(run.stdout).toContain('proxy/direct');
    expect(run.stdout).toContain('long session (streamed, c1)');

    // --compare: the same result never regresses; a halved throughput ratio does.
    const same = compareResults(result, result);
    expect(same.regressions).toEqual([]);
    expect(same.lines.length).toBeGreaterThan(20);
    const worse = structuredClone(result);
    const streamed = worse.scenarios.find((s) => s.name === 'stream c50')!;
    streamed.ratios.throughput = result.scenarios[3].ratios.throughput / 2;
    worse.memory.idleMB += 50;
    expect(compareResults(worse, result).regressions).toEqual([
      'stream c50 throughput ratio',
      'memory idle MB',
    ]);
  }, 120_000);
});
