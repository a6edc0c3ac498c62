/**
 * One concise line per finished request for headless stdout, e.g.
 * `12:01:03 req_… claude-sonnet-4-5 → openai/gpt-5.1 stream 200 1.2 s ttft 210 ms in 1200 out 50`.
 * Never a key, never message content. Text fields are escaped and cut again here (the request
 * log already does it) so a line is always one line, whoever built the record.
 */
import type { AttemptRecord, RequestRecord } from '../../shared/requestRecord';
import { logField } from '../proxy/logText';

/** The longest any one client- or upstream-chosen field may make a line. */
const FIELD = 200;
const ERROR = 1000;

/** `openai 429 → groq 200`: every attempt of a request, shown once there was more than one. */
export function formatAttempts(attempts: readonly AttemptRecord[]): string {
  return attempts.map((a) => `${a.provider} ${a.outcome}`).join(' → ');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// Requests finishing in the same second share one formatted time (Date formatting is not free).
let cachedSecond = -1;
let cachedTime = '';

function clockTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedTime = new Date(ms).toTimeString().slice(0, 8);
  }
  return cachedTime;
}

export function formatLogLine(r: RequestRecord): string {
  const time = clockTime(r.startedAt);
  const parts = [time, logField(r.id, FIELD), `${logField(r.method, FIELD)} ${logField(r.path, FIELD)}`];
  if (r.clientModel) {
    parts.push(
      `${logField(r.clientModel, FIELD)} → ${logField(r.provider ?? '?', FIELD)}/${logField(r.upstreamModel ?? '?', FIELD)}`,
    );
  }
  if (r.api === 'responses') parts.push('(Responses API)');
  if (r.stream !== undefined) parts.push(r.stream ? 'stream' : 'json');
  parts.push(r.state === 'aborted' ? 'aborted' : String(r.status ?? '-'));
  if (r.latencyMs !== undefined) parts.push(seconds(r.latencyMs));
  if (r.ttftMs !== undefined) parts.push(`ttft ${seconds(r.ttftMs)}`);
  if (r.inputTokens !== undefined) parts.push(`in ${r.inputTokens} out ${r.outputTokens ?? 0}`);
  if (r.retries) parts.push(`retries ${r.retries}`);
  if (r.profile) parts.push(`via /p/${logField(r.profile, FIELD)}`);
  if (r.rule) parts.push(`rule ${r.rule}`);
  if (r.attempts && r.attempts.length > 1) parts.push(`[${formatAttempts(r.attempts)}]`);
  if (r.error) parts.push(`error: ${logField(r.error, ERROR)}`);
  if (r.notes?.length) parts.push(`(${r.notes.map((note) => logField(note, FIELD)).join('; ')})`);
  return parts.join(' ');
}

/**
 * Buffers lines and writes them in batches, so logging stays off the request's hot path
 * (stdout to a pipe or file is synchronous on Linux). A line may be given as a function, to be
 * formatted only when the batch is written, outside the request that produced it.
 */
export class BatchedLineWriter {
  private lines: Array<string | (() => string)> = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void) {}

  push(line: string | (() => string)): void {
    this.lines.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 50).unref();
  }

  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    let text = '';
    for (const line of lines) text += (typeof line === 'string' ? line : line()) + '\n';
    this.write(text);
  }
}
