export async function noop(_: string): Promise<void> {
  // intentionally empty: the baseline measures Temporal alone
}
