/** Why an action is refused: every rule answers with one of these, or with nothing. */

export interface Refusal {
  /** `forbidden` = not this caller's case or duty (403); `conflict` = not now (409); `invalid`: the request names something the case cannot hold (422) */
  kind: 'forbidden' | 'conflict' | 'invalid';
  reason: string;
}

export function isRefusal(r: object): r is Refusal {
  const kind = (r as { kind?: unknown }).kind;
  return kind === 'forbidden' || kind === 'conflict' || kind === 'invalid';
}
