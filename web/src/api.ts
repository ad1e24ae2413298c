/**
 * The API, as the pages call it: same origin, `Authorization: Bearer`, JSON in and out. A problem+json
 * answer becomes an ApiError carrying its bilingual detail, which the pages show as it is.
 */
import { session, signOut } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...(session.token ? { Authorization: `Bearer ${session.token}` } : {}),
  ...extra,
});

async function problem(res: Response): Promise<ApiError> {
  let detail = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as {
      detail?: string;
      title?: string;
      errors?: { field: string; reason: string }[];
    };
    const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.reason}`).join('; ');
    detail = [body.detail ?? body.title, fields].filter(Boolean).join(' — ') || detail;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) signOut();
  return new ApiError(res.status, detail);
}

export async function get<T>(path: string): Promise<T> {
  const res = await fetch(`/api/v1${path}`, { headers: headers({ Accept: 'application/json' }) });
  if (!res.ok) throw await problem(res);
  return (await res.json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', Accept: 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await problem(res);
  return (await res.json()) as T;
}

/** A CSV export: fetched with the bearer header (a plain link cannot send it), then saved as a file. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { headers: headers({ Accept: 'text/csv' }) });
  if (!res.ok) throw await problem(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const authHeader = () => headers();
