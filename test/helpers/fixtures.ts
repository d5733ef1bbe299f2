// Registry of processes and servers started by tests, so the runner can stop every one of them
// (by pid) when the run ends, even if a test forgot or failed midway.

type Stopper = () => Promise<void>;
const stoppers = new Set<Stopper>();

/** registerFixture remembers how to stop something; returns a function that unregisters it. */
export function registerFixture(stop: Stopper): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** stopFixtures stops everything still registered, newest first, ignoring individual failures. */
export async function stopFixtures(): Promise<void> {
  const all = [...stoppers].reverse();
  stoppers.clear();
  for (const stop of all) {
    try {
      await stop();
    } catch {
      // best effort: the process may already be gone
    }
  }
}
