/**
 * The fetch the `openai` SDK uses for upstream calls. Successful responses pass through
 * untouched; error responses are normalised first, because Gemini sends its error object
 * wrapped in a JSON array, which the SDK cannot read (it would report "no body").
 */
export function createUpstreamFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.text();
    let body = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.length > 0) body = JSON.stringify(parsed[0]);
    } catch {
      // Not JSON after all: leave the text for the error mapper.
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
