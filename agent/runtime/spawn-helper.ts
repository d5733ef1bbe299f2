// A spawn helper: a small child process whose only job is starting processes for the agent
// (spawner.ts), over the IPC channel. It ends with the agent: when the channel closes.
import { runJob } from './spawn-jobs.ts';
import type { Envelope, SpawnRequest } from './spawn-protocol.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new Error('spawn-helper.ts runs as a forked child only');
process.on('message', (m: Envelope<SpawnRequest>) => {
  void runJob(m.body).then(body => send({ id: m.id, body }));
});
process.on('disconnect', () => process.exit(0));
