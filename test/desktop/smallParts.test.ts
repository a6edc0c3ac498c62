/** The small desktop pieces that need no Electron: log batching, the safeStorage wrapper, icons, formats. */
import { describe, expect, it, vi } from 'vitest';
import { RequestLog } from '../../src/main/proxy/requestLog';
import { batchLogChanges } from '../../src/main/desktop/logBroadcast';
import { createSafeStorageCipher } from '../../src/main/desktop/safeStorageCipher';
import { trayIconPath } from '../../src/main/desktop/trayIcons';
import { applyBatch } from '../../src/shared/logBatch';
import { recordSummary, shortClientModel, formatDuration, statusClass } from '../../src/shared/requestFormat';
import type { RequestRecord } from '../../src/shared/requestRecord';

const rec = (id: string, patch: Partial<RequestRecord> = {}): RequestRecord => ({
  id,
  startedAt: Number(id.replace(/\D/g, '')) || 0,
  method: 'POST',
  path: '/v1/messages',
  state: 'pending',
  ...patch,
});

describe('batchLogChanges', () => {
  it('coalesces many updates into one batch per interval, and reports clears', () => {
    vi.useFakeTimers();
    try {
      const log = new RequestLog(10);
      const send = vi.fn();
      const stop = batchLogChanges(log, send, 100);
      const r = log.add(rec('r1'));
      for (let i = 0; i < 50; i += 1) log.update(r, { outputTokens: i });
      log.add(rec('r2'));
      expect(send).not.toHaveBeenCalled();
      vi.advanceTimersByTime(100);
      expect(send).toHaveBeenCalledOnce();
      expect(send.mock.calls[0][0]).toEqual({
        cleared: false,
        records: [
          expect.objectContaining({ id: 'r1', outputTokens: 49 }),
          expect.objectContaining({ id: 'r2' }),
        ],
      });
      log.clear();
      log.add(rec('r3'));
      vi.advanceTimersByTime(100);
      expect(send.mock.calls[1][0]).toEqual({
        cleared: true,
        records: [expect.objectContaining({ id: 'r3' })],
      });
      stop();
      log.add(rec('r4'));
      vi.advanceTimersByTime(100);
      expect(send).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('applyBatch (the log window’s bounded copy)', () => {
  it('updates in place, puts new records first, and keeps at most the capacity', () => {
    let records: RequestRecord[] = [];
    records = applyBatch(records, { cleared: false, records: [rec('r1'), rec('r2')] }, 3);
    expect(records.map((r) => r.id)).toEqual(['r2', 'r1']);
    records = applyBatch(
      records,
      { cleared: false, records: [rec('r1', { state: 'done', status: 200 }), rec('r3'), rec('r4')] },
      3,
    );
    expect(records.map((r) => r.id)).toEqual(['r4', 'r3', 'r2']);
    records = applyBatch(records, { cleared: false, records: [rec('r3', { state: 'done' })] }, 3);
    expect(records[1]).toMatchObject({ id: 'r3', state: 'done' });
    expect(applyBatch(records, { cleared: true, records: [] }, 3)).toEqual([]);
    // However many records arrive, memory stays bounded.
    const flood = Array.from({ length: 5000 }, (_, i) => rec(`f${i}`));
    expect(applyBatch(records, { cleared: false, records: flood }, 1000)).toHaveLength(1000);
  });
});

describe('createSafeStorageCipher', () => {
  // Shaped after Electron's safeStorage docs: on Linux the backend is chosen at `ready`;
  // setUsePlainTextEncryption(true) helps only when that backend is basic_text, and encryptString
  // throws while the selected keyring (libsecret, KWallet) is not running or is locked.
  const fake = (backend: string, options: { available?: boolean; works?: boolean } = {}) => {
    let plainText = false;
    const canEncrypt = () => (options.works ?? true) || (plainText && backend === 'basic_text');
    return {
      isEncryptionAvailable: vi.fn(() => options.available ?? true),
      getSelectedStorageBackend: vi.fn(() => backend as 'basic_text'),
      setUsePlainTextEncryption: vi.fn((use: boolean) => {
        plainText = use;
      }),
      encryptString: vi.fn((text: string) => {
        if (!canEncrypt())
          throw new Error('Error while encrypting the text provided to safeStorage.encryptString.');
        return Buffer.from(`enc:${text}`);
      }),
      decryptString: vi.fn((buffer: Buffer) => {
        if (!canEncrypt())
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        return buffer.toString().replace(/^enc:/, '');
      }),
    };
  };

  it('round-trips through safeStorage as base64', async () => {
    const cipher = createSafeStorageCipher(fake('gnome_libsecret'), 'linux')!;
    expect(cipher.strength).toBe('encrypted');
    const ciphertext = await cipher.encrypt('sk-abc');
    expect(ciphertext).toBe(Buffer.from('enc:sk-abc').toString('base64'));
    expect(await cipher.decrypt(ciphertext)).toBe('sk-abc');
  });

  it('calls only a working Linux basic_text "obscured"', () => {
    expect(createSafeStorageCipher(fake('basic_text'), 'linux')!.strength).toBe('obscured');
    const fallback = fake('basic_text', { available: false, works: false });
    expect(createSafeStorageCipher(fallback, 'linux')!.strength).toBe('obscured');
    expect(fallback.setUsePlainTextEncryption).toHaveBeenCalledWith(true);
    expect(createSafeStorageCipher(fake('unknown'), 'darwin')!.strength).toBe('encrypted');
  });

  it('gives no cipher when the selected keyring cannot encrypt (libsecret or KWallet not running)', () => {
    expect(
      createSafeStorageCipher(fake('gnome_libsecret', { available: false, works: false }), 'linux'),
    ).toBe(null);
    expect(createSafeStorageCipher(fake('kwallet5', { available: true, works: false }), 'linux')).toBe(null);
  });

  it('gives no cipher when the macOS/Windows keychain is unavailable or refuses', () => {
    expect(createSafeStorageCipher(fake('unknown', { available: false }), 'win32')).toBe(null);
    expect(createSafeStorageCipher(fake('unknown', { works: false }), 'darwin')).toBe(null);
  });
});

describe('tray icons and request summaries', () => {
  it('uses template images on macOS only', () => {
    expect(trayIconPath('/r', 'error', 'darwin')).toBe('/r/tray-errorTemplate.png');
    expect(trayIconPath('/r', 'paused', 'linux')).toBe('/r/tray-paused.png');
  });

  it('summarises requests the same way in the tray and the log', () => {
    const started = new Date(2025, 0, 1, 9, 5, 7).getTime();
    expect(
      recordSummary({
        ...rec('x'),
        startedAt: started,
        clientModel: 'claude-opus-4-1',
        upstreamModel: 'o3',
        status: 429,
        latencyMs: 80,
        state: 'error',
      }),
    ).toBe('09:05:07 opus → o3 · 429 · 80 ms');
    expect(shortClientModel('gpt-4o')).toBe('gpt-4o');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(statusClass({ ...rec('x'), state: 'done', status: 200 })).toBe('ok');
    expect(statusClass({ ...rec('x'), state: 'done', status: 200, error: 'stream broke' })).toBe('failed');
    expect(statusClass({ ...rec('x'), state: 'error', status: 502 })).toBe('server-error');
    expect(statusClass({ ...rec('x'), state: 'aborted' })).toBe('failed');
  });
});
