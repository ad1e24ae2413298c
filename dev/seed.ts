/** `npm start` runs this once the database is up: the demo county goes into an empty database. */
import { connectStore } from '../store/connection';
import { loadDemoCounty } from './demo-county/load';

export async function seedDemoCounty(uri: string, say: (m: string) => void): Promise<void> {
  const store = await connectStore(uri);
  try {
    const report = await loadDemoCounty(store);
    const added = Object.entries(report).filter(([, n]) => n > 0);
    say(
      added.length
        ? `demo county loaded: ${added.map(([k, n]) => `${n} ${k}`).join(', ')}`
        : 'demo county already in the database',
    );
  } finally {
    await store.close();
  }
}
