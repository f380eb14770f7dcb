import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './electron/app/security.ts';

/**
 * The built page carries the app's CSP as a meta tag too (the same policy main.ts sends as a
 * header), so it holds wherever the files are served from, including the e2e tests' static server.
 * Only in the build: the dev server's inline React-refresh preamble would be refused.
 */
function cspMeta(): Plugin {
  return {
    name: 'diemthu-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy() }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root: 'src',
  base: './', // relative asset URLs: served from app://diemthu/ or any static server
  plugins: [react(), cspMeta()],
  build: { outDir: '../dist', emptyOutDir: true, target: 'chrome130' },
  server: { port: 5173, strictPort: true },
});
