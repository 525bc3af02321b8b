import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

/**
 * The Webhook Subscriptions page. `vite build` writes dist/apps/web, which
 * subscription-service serves at `/`; `vite` (dev) proxies the API to a
 * running `npm start` on :3000.
 */
export default defineConfig({
  root: ROOT,
  base: '/',
  plugins: [react()],
  // The API's shared shapes (browser-safe); the same alias as tsconfig's paths.
  resolve: { alias: { '@harmony/contracts/api': fileURLToPath(new URL('../../libs/contracts/src/api/index.ts', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/v1': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' },
  },
});
