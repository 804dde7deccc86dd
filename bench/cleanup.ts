/**
 * What to undo if the benchmark is stopped part-way (Ctrl-C): temporary folders, the throwaway
 * PostgreSQL cluster and its databases. Each part registers its own and removes it when done.
 */
const tasks = new Set<() => unknown>();

export function onInterrupt(task: () => unknown): () => void {
  tasks.add(task);
  return () => tasks.delete(task);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n[bench] stopped (${signal}): cleaning up\n`);
    void (async () => {
      for (const task of [...tasks].reverse()) {
        try {
          await task();
        } catch {
          // Best effort: carry on with the rest.
        }
      }
      process.exit(130);
    })();
  });
}
