// Vite builds the dashboard into the server package (packages/server/dist/dashboard), which
// serves it at `/` and ships it in its tarball.
import { defineConfig } from 'vite';

export default defineConfig({
  // esbuild's automatic JSX runtime: no React plugin needed (no fast refresh, which we do not use).
  esbuild: { jsx: 'automatic' },
  // Relative asset URLs: the server makes them absolute under its base path (TESSERA_BASE_PATH).
  base: './',
  build: {
    outDir: '../../packages/server/dist/dashboard',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev -w apps/dashboard` proxies the API to a server on :4000.
    proxy: { '/admin/api': 'http://127.0.0.1:4000', '/graphql': 'http://127.0.0.1:4000' },
  },
});
