/** A tiny JSON client over fetch for the API tests. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  // a stream of JSON lines (NDJSON) or a CSV export stays text for the caller to read
  const lines = /ndjson|text\/csv/.test(res.headers.get('content-type') ?? '');
  return { status: res.status, headers: res.headers, body: text ? (lines ? text : JSON.parse(text)) : undefined };
}
