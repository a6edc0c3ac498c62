/**
 * Turnout was renamed before its first release: a user's old variables must keep
 * working, with one warning line at start, and the new name wins where both are set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/main/app/envConfig';
import { startHeadless, type HeadlessProcess } from '../support/headlessProcess';

const OLD = ['SWITCH', 'YARD_'].join('');

describe('old variable names', () => {
  it('are read under their new names, with one warning naming each', () => {
    const config = configFromEnv({
      [`${OLD}ACCESS_TOKEN`]: 'a-long-enough-access-token-1234',
      [`${OLD}IDLE_TIMEOUT_MS`]: '4500',
    });
    expect(config.accessToken).toBe('a-long-enough-access-token-1234');
    expect(config.settings.requireAccessToken).toBe(true);
    expect(config.settings.timeouts.idleMs).toBe(4500);
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain(`${OLD}ACCESS_TOKEN → TURNOUT_ACCESS_TOKEN`);
    expect(config.warnings[0]).toContain(`${OLD}IDLE_TIMEOUT_MS → TURNOUT_IDLE_TIMEOUT_MS`);
    // The warning names variables, never their values.
    expect(config.warnings[0]).not.toContain('a-long-enough-access-token-1234');
  });

  it('lose to the new name when both are set', () => {
    const config = configFromEnv({ [`${OLD}MAX_RETRIES`]: '7', TURNOUT_MAX_RETRIES: '1' });
    expect(config.settings.maxRetries).toBe(1);
  });

  it('no old names, no warning', () => {
    expect(configFromEnv({ TURNOUT_MAX_RETRIES: '1' }).warnings).toEqual([]);
  });

  describe('in headless mode', () => {
    let proxy: HeadlessProcess | undefined;
    afterEach(async () => {
      await proxy?.stop();
    });

    it('an old access-token variable still guards the proxy, and start-up warns once', async () => {
      const token = 'legacy-token-0123456789abcdef';
      proxy = startHeadless({ PORT: '0', [`${OLD}ACCESS_TOKEN`]: token });
      const baseUrl = await proxy.ready;
      const probe = (headers: Record<string, string>) =>
        fetch(`${baseUrl}/v1/models`, { headers }).then((res) => res.status);
      expect(await probe({})).toBe(401);
      expect(await probe({ authorization: `Bearer ${token}` })).toBe(200);
      const warnings = proxy
        .stderr()
        .split('\n')
        .filter((line) => line.includes(`${OLD}ACCESS_TOKEN`));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^turnout: old variable names still work/);
    });
  });
});
