import { expect } from 'chai';
import { pino } from 'pino';
import type { ContainerInfo, DestroyOptions } from '../../../agent/runtime/types.ts';
import { destroyLeftovers, standDown } from '../../../agent/stand-down.ts';
import { STANDALONE_ANNOTATION } from '../../../agent/sync/names.ts';

const info = (id: string, annotations: Record<string, string> = {}): ContainerInfo => ({
  id,
  state: { status: 'running', pid: 10 },
  sandboxDir: `/s/${id}`,
  logPath: `/l/${id}`,
  annotations,
});

/** fakeRuntime (no runc in unit tests) lists `left` and records destroys; `broken` fails one. */
function fakeRuntime(left: ContainerInfo[], broken?: string) {
  const destroyed: [string, DestroyOptions | undefined][] = [];
  const released: string[] = [];
  return {
    runtime: {
      list: () => Promise.resolve(left),
      destroy: (id: string, o?: DestroyOptions) => {
        if (id === broken) return Promise.reject(new Error('busy'));
        destroyed.push([id, o]);
        return Promise.resolve();
      },
    },
    images: { releaseLease: (id: string) => (released.push(id), Promise.resolve()) },
    destroyed,
    released,
  };
}

const logger = pino({ level: 'silent' });

describe('agent stand-down (fake runtime)', () => {
  it('destroys every leftover container, keeping Task sandboxes, past one that fails', async () => {
    const f = fakeRuntime(
      [info('task-1'), info('web', { [STANDALONE_ANNOTATION]: 'true' }), info('task-2')],
      'task-2',
    );
    const out = await destroyLeftovers({ runtime: f.runtime, images: f.images, logger });
    expect(out).to.deep.equal(['task-1', 'web']);
    expect(f.destroyed).to.deep.equal([
      ['task-1', { keepSandbox: true }],
      ['web', { keepSandbox: false }],
    ]);
    expect(f.released).to.deep.equal(['task-1', 'web']);
  });

  it('kills Tasks first, then standalone containers, then whatever is left', async () => {
    const order: string[] = [];
    const f = fakeRuntime([info('task-late')]);
    await standDown({
      runtime: {
        list: () => (order.push('leftovers'), f.runtime.list()),
        destroy: f.runtime.destroy,
      },
      images: f.images,
      logger,
      tasks: { standDown: () => (order.push('tasks'), Promise.resolve()) },
      containers: { killAll: () => (order.push('standalone'), Promise.resolve([])) },
    });
    expect(order).to.deep.equal(['tasks', 'standalone', 'leftovers']);
    expect(f.destroyed.map(([id]) => id)).to.deep.equal(['task-late']);
  });
});
