/**
 * Pages by the address's hash (`#/case/<id>`), so any page reloads and bookmarks without a server
 * route: `/` is the only document the API serves. Home depends on the signed-in role.
 */
import { ref } from 'vue';
import type { Role } from './session';

export type Route = { page: 'home' } | { page: 'case'; caseId: string } | { page: 'raise' } | { page: 'queue' };

function parse(hash: string): Route {
  const [, page, arg] = hash.replace(/^#/, '').split('/');
  if (page === 'case' && arg) return { page: 'case', caseId: decodeURIComponent(arg) };
  if (page === 'raise') return { page: 'raise' };
  if (page === 'queue') return { page: 'queue' };
  return { page: 'home' };
}

export const route = ref<Route>(parse(location.hash));
window.addEventListener('hashchange', () => {
  route.value = parse(location.hash);
});

/** What home is for each role: the supervisor's overview, the township's form, everyone else's queue. */
export function homeOf(role: Role | undefined): Route['page'] {
  if (role === 'township') return 'raise';
  if (role === 'supervisor' || role === 'admin') return 'home';
  return 'queue';
}
