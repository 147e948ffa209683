import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for every host: the Electron main process, the engine worker it starts, the
// `cockpit` command line tool (which also serves browser mode), the preload and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'engine-worker': resolve(__dirname, 'src/main/host/engine-worker.ts'),
          // A window's replay plays in a worker of its own (host/session-router.ts).
          'replay-worker': resolve(__dirname, 'src/main/host/replay-worker.ts'),
          cli: resolve(__dirname, 'src/main/cli/index.ts'),
          'backtest-worker': resolve(__dirname, 'src/engine/node/workers/backtest-worker.ts'),
          'sim-facts-worker': resolve(__dirname, 'src/engine/node/workers/sim-facts-worker.ts'),
          // Live agents decide in worker threads of their own (node/workers/agent-sandbox.ts), which load
          // their strategies by file: the session's, and the misbehaving ones tests and the risk bench use.
          'agent-worker': resolve(__dirname, 'src/engine/node/workers/agent-worker.ts'),
          'live-strategies': resolve(__dirname, 'src/engine/node/workers/live-strategies.ts'),
          'misbehaving-strategies': resolve(__dirname, 'src/engine/node/workers/misbehaving-strategies.ts'),
          // The window's backtests run the workflow in a thread of their own (workflows/in-thread.ts).
          'backtest-thread': resolve(__dirname, 'src/engine/workflows/backtest-thread.ts'),
          // `cockpit bench risk` sends KillAll from a thread of its own.
          'kill-request-worker': resolve(__dirname, 'src/engine/bench/kill-request-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // The window loads its one bundle over file:// or loopback; minified it is about half the size.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
  },
});
