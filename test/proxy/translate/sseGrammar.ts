/**
 * A reusable checker of the Anthropic stream grammar that SDK clients enforce, used by the
 * stream tests on every chunk pattern. Returns the blocks the events assemble into, so tests
 * can compare them with values written by hand.
 */
import { expect } from 'vitest';
import type { StopReason, StreamEvent, Usage } from '../../../src/main/proxy/anthropicTypes';

export type AssembledBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'text'; text: string; citations: Array<{ url: string; cited_text: string }> }
  | { type: 'server_tool_use'; id: string; name: string; json: string }
  | { type: 'web_search_tool_result'; tool_use_id: string; urls: string[] };

export interface AssembledMessage {
  blocks: AssembledBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  usage: Usage;
}

export function checkSseGrammar(events: StreamEvent[]): AssembledMessage {
  expect(events.filter((e) => e.type === 'message_start')).toHaveLength(1);
  expect(events[0].type).toBe('message_start');
  expect(events.filter((e) => e.type === 'message_stop')).toHaveLength(1);
  expect(events.at(-1)?.type).toBe('message_stop');
  expect(events.filter((e) => e.type === 'error')).toHaveLength(0);
  const deltas = events.filter((e) => e.type === 'message_delta');
  expect(deltas).toHaveLength(1);

  const blocks: AssembledBlock[] = [];
  let open: number | null = null;
  let sawMessageDelta = false;
  for (const event of events) {
    switch (event.type) {
      case 'content_block_start': {
        expect(open, 'a block starts while another is open').toBeNull();
        expect(sawMessageDelta).toBe(false);
        expect(event.index, 'block indexes are contiguous from 0').toBe(blocks.length);
        open = event.index;
        const cb = event.content_block;
        if (cb.type === 'text') blocks.push({ type: 'text', text: cb.text });
        else if (cb.type === 'thinking') blocks.push({ type: 'thinking', thinking: '', signature: '' });
        else if (cb.type === 'web_search_tool_result')
          blocks.push({
            type: 'web_search_tool_result',
            tool_use_id: cb.tool_use_id,
            urls: cb.content.map((r) => r.url),
          });
        else blocks.push({ type: cb.type, id: cb.id, name: cb.name, json: '' });
        break;
      }
      case 'content_block_delta': {
        expect(event.index, 'delta outside its open block').toBe(open);
        const block = blocks[event.index];
        const d = event.delta;
        if (d.type === 'text_delta' && block.type === 'text') block.text += d.text;
        else if (d.type === 'thinking_delta' && block.type === 'thinking') block.thinking += d.thinking;
        else if (d.type === 'signature_delta' && block.type === 'thinking') block.signature = d.signature;
        else if (
          d.type === 'input_json_delta' &&
          (block.type === 'tool_use' || block.type === 'server_tool_use')
        )
          block.json += d.partial_json;
        else if (d.type === 'citations_delta' && block.type === 'text') {
          if (!('citations' in block)) Object.assign(block, { citations: [] });
          (block as { citations: Array<{ url: string; cited_text: string }> }).citations.push({
            url: d.citation.url,
            cited_text: d.citation.cited_text,
          });
        } else throw new Error(`delta ${d.type} does not fit block ${block.type}`);
        break;
      }
      case 'content_block_stop':
        expect(event.index).toBe(open);
        open = null;
        break;
      case 'message_delta':
        expect(open, 'message_delta while a block is open').toBeNull();
        sawMessageDelta = true;
        expect(typeof event.usage.output_tokens).toBe('number');
        expect(typeof event.usage.input_tokens).toBe('number');
        break;
      default:
        break;
    }
  }
  expect(open).toBeNull();

  const delta = deltas[0] as Extract<StreamEvent, { type: 'message_delta' }>;
  const toolBlocks = blocks.filter((b) => b.type === 'tool_use');
  toolBlocks.forEach((block, i) => {
    // Only a call cut off by the token limit (the last one) may hold unfinished JSON.
    const mayBeCut = delta.delta.stop_reason === 'max_tokens' && i === toolBlocks.length - 1;
    if (!mayBeCut)
      expect(() => JSON.parse(block.json), `tool ${block.name} json: ${block.json}`).not.toThrow();
  });
  for (const block of blocks) {
    if (block.type === 'thinking') expect(block.signature).not.toBe('');
    if (block.type === 'text') expect(block.text).not.toBe('');
  }
  return {
    blocks,
    stopReason: delta.delta.stop_reason,
    stopSequence: delta.delta.stop_sequence,
    usage: delta.usage,
  };
}
