/**
 * Who is signed in: the bearer token, kept in sessionStorage (gone when the tab closes), and the
 * role and unit it carries. The claims are read only to choose pages; the API checks the token.
 */
import { reactive } from 'vue';

const KEY = 'whistle.token';

export type Role = 'township' | 'department' | 'dispatcher' | 'supervisor' | 'admin';

export interface Actor {
  accountId: string;
  role: Role;
  orgUnitId?: string;
}

export const session = reactive<{ token: string | undefined; actor: Actor | undefined }>({
  token: undefined,
  actor: undefined,
});

/** The token's claims (`sub`, `role`, `org`), or undefined when it is not a JWT. */
export function claimsOf(token: string): Actor | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (ch) => ch.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as { sub?: unknown; role?: unknown; org?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return undefined;
    return {
      accountId: claims.sub,
      role: claims.role as Role,
      ...(typeof claims.org === 'string' ? { orgUnitId: claims.org } : {}),
    };
  } catch {
    return undefined;
  }
}

export function signIn(token: string, actor: Actor): void {
  sessionStorage.setItem(KEY, token);
  session.token = token;
  session.actor = actor;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  session.token = undefined;
  session.actor = undefined;
}

/** On load: the tab's token, if it still reads as one. */
export function restore(): void {
  const token = sessionStorage.getItem(KEY) ?? undefined;
  const actor = token ? claimsOf(token) : undefined;
  if (token && actor) {
    session.token = token;
    session.actor = actor;
  }
}
