import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The API server in development; `vosul serve` listens on 3000 by default. */
const apiTarget = process.env.VOSUL_API_URL ?? 'http://localhost:3000';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  // `@vosul/common` is a workspace package whose exports point at TypeScript source: Vite follows
  // the node_modules symlink to ../common and compiles it like our own code.
  resolve: { dedupe: ['react', 'react-dom'] },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
});
