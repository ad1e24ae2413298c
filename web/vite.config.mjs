// The dashboard's build: Vue single-file components compiled ahead of time (no runtime template
// compiler, so no eval under the CSP), into the git-ignored .web-dist/ that the API serves at `/`.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [vue()],
  logLevel: 'warn',
  build: {
    outDir: here('../.web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    // ECharts in its own chunk: the sign-in and case pages load without it
    chunkSizeWarningLimit: 700,
    modulePreload: { polyfill: false },
  },
});
