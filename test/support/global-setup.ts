/** Before any test: make sure the real servers the tests start are installed (first run downloads/builds). */
import { ensureAllTools } from '../../dev/tools/install';

export default async function globalSetup(): Promise<void> {
  await ensureAllTools();
}
