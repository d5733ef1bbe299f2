import { expect } from 'chai';
import { managerHealth } from '../../../../controllers/metrics/health.ts';
import type { ManagerStatus } from '../../../../controllers/runtime/manager.ts';

describe('managerHealth: the probes of a controllers process', () => {
  const cases: {
    name: string;
    status: ManagerStatus;
    unsynced?: string[];
    aborted?: boolean;
    health: string;
    ready: string;
  }[] = [
    {
      name: 'creating the lease namespace',
      status: { phase: 'idle' },
      health: 'ok',
      ready: 'starting',
    },
    {
      name: 'running, informers listing',
      status: { phase: 'running' },
      unsynced: ['agents', 'offers'],
      health: 'ok',
      ready: 'informers not synced: agents, offers',
    },
    { name: 'running, synced', status: { phase: 'running' }, health: 'ok', ready: 'ok' },
    {
      name: 'asked to stop, manager not told yet',
      status: { phase: 'running' },
      aborted: true,
      health: 'stopping',
      ready: 'stopping',
    },
    { name: 'stopping', status: { phase: 'stopping' }, health: 'stopping', ready: 'stopping' },
    { name: 'stopped', status: { phase: 'stopped' }, health: 'stopping', ready: 'stopping' },
    {
      name: 'a component failed',
      status: { phase: 'failed', component: 'offers', error: new Error('boom') },
      health: 'failed: offers: boom',
      ready: 'failed: offers: boom',
    },
  ];
  for (const c of cases) {
    it(`answers health "${c.health}" and readiness "${c.ready}" when ${c.name}`, () => {
      const stop = new AbortController();
      if (c.aborted === true) stop.abort();
      const h = managerHealth(
        { status: () => c.status, unsynced: () => c.unsynced ?? [] },
        stop.signal,
      );
      const text = (x: ReturnType<typeof h.health>): string => (x.ok ? 'ok' : x.reason);
      expect(text(h.health())).to.equal(c.health);
      expect(text(h.readiness())).to.equal(c.ready);
    });
  }
});
