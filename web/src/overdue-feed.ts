/**
 * Overdue now, kept current: `GET /api/v1/overdue/stream` (server-sent events) read with fetch so the
 * bearer header goes along (EventSource cannot send one); each event is a cue to read the list again.
 * While the stream answers 404 (not deployed) or breaks, the list is polled every few seconds instead.
 */
import { fetchEventSource } from '@microsoft/fetch-event-source';
import { ref } from 'vue';
import { authHeader, get } from './api';

export interface LateClock {
  caseId: string;
  caseNumber?: string;
  title: string;
  townshipId: string;
  clock: string;
  late: string;
  deadline: string;
  lateByMs: number;
  rung?: string;
}

export const POLL_MS = 3000;

class StreamUnavailable extends Error {}

export function overdueFeed() {
  const items = ref<LateClock[]>([]);
  /** when the list was read: lateness counts on from the server's figure, whatever the browser's clock says */
  const readAt = ref(Date.now());
  const mode = ref<'stream' | 'polling'>('polling');
  const error = ref<string>();
  const stop = new AbortController();
  let timer: ReturnType<typeof setInterval> | undefined;

  const refresh = async () => {
    try {
      items.value = (await get<{ items: LateClock[] }>('/overdue')).items;
      readAt.value = Date.now();
      error.value = undefined;
    } catch (err) {
      error.value = (err as Error).message;
    }
  };
  const poll = () => {
    mode.value = 'polling';
    timer ??= setInterval(() => void refresh(), POLL_MS);
  };

  void refresh();
  fetchEventSource('/api/v1/overdue/stream', {
    headers: authHeader(),
    signal: stop.signal,
    openWhenHidden: true,
    async onopen(res) {
      const type = res.headers.get('content-type') ?? '';
      if (!res.ok || !type.startsWith('text/event-stream')) throw new StreamUnavailable(`${res.status}`);
      mode.value = 'stream';
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    onmessage() {
      void refresh();
    },
    onerror(err) {
      // no stream here (404) or it broke: poll, and stop retrying the stream
      poll();
      throw err;
    },
  }).catch(() => poll());

  return {
    items,
    readAt,
    mode,
    error,
    close() {
      stop.abort();
      if (timer) clearInterval(timer);
    },
  };
}
