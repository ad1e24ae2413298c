/**
 * `npm run lists:rebuild`: lays the lists' read model (store/case-list.ts) anew from the case
 * projection, for when its counts are in doubt (a recording that died between the entry and its
 * counts). Stop the worker first: a recording during the rebuild could be lost from the lists. The
 * worker itself builds the lists at start-up when the projection has cases and the lists have none.
 */
import { loadConfig } from '../platform/config';
import { caseProjectionModel } from '../store/case-projections';
import { caseListModels, rebuildCaseList } from '../store/case-list';
import { connectStore } from '../store/connection';

async function main(): Promise<void> {
  const store = await connectStore(loadConfig().MONGODB_URI);
  try {
    const n = await rebuildCaseList(caseProjectionModel(store), caseListModels(store));
    process.stdout.write(`list entries rebuilt from the projection: ${n}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
