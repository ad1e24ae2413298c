/** Where the project keeps what it installs (.tools/) and what it stores locally (.data/); both git-ignored. */
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const TOOLS_DIR = process.env.WHISTLE_TOOLS_DIR ?? join(ROOT, '.tools');
export const TOOLS_BIN = join(TOOLS_DIR, 'bin');
export const DATA_DIR = process.env.WHISTLE_DATA_DIR ?? join(ROOT, '.data');
