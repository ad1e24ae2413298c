/** `npm run tools`: install every local server up front (CI does this before the tests). */
import { ensureAllTools } from './install';

ensureAllTools()
  .then((paths) => {
    for (const [name, path] of Object.entries(paths)) process.stderr.write(`[tools] ${name}: ${path}\n`);
  })
  .catch((err) => {
    process.stderr.write(`[tools] failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
