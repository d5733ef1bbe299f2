import { expect } from 'chai';
import { Resources, parseResourceText } from '../../../core/resources/index.ts';
import type { Offer, OfferOperation, TaskTemplate } from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import {
  acceptResponse,
  createDisk,
  createVolume,
  createVolumes,
  declineResponse,
  destroyDisk,
  destroyVolume,
  growVolume,
  launch,
  launchGroup,
  reserve,
  reservedAs,
  shrinkVolume,
  unreserve,
  volumeOf,
} from '../../../sdk/index.ts';
import { admit } from '../crds/load-crds.ts';
import { accept, launchResult, opResult } from '../controllers/offers/engine/builders.ts';

const ROLE = 'role';
const PRINCIPAL = 'principal';
const res = (text: string): Resources => parseResourceText(text);

function offerWith(response: Offer['spec']['response']): Offer {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name: 'offer-1', namespace: 'fw-ns' },
    spec: {
      framework: 'fw',
      agent: 'agent-1',
      role: ROLE,
      resources: [{ name: 'cpus', scalar: '2', allocationRole: ROLE }],
      ...(response === undefined ? {} : { response }),
    },
  };
}

const task = (name: string, extra: Partial<TaskTemplate['spec']> = {}): TaskTemplate => ({
  name,
  labels: { app: 'demo' },
  spec: { resources: { cpus: '0.5', mem: 64 }, command: { value: 'true' }, ...extra },
});

const reservation = { role: ROLE, principal: PRINCIPAL, labels: { owner: 'fw' } };
const disk = reservedAs(res('disk:64'), reservation);
const volume = volumeOf(disk, {
  persistenceId: 'data-1',
  containerPath: 'data',
  principal: PRINCIPAL,
});
const raw = Resources.of({
  name: 'disk',
  value: { type: 'SCALAR', scalar: res('disk:100').scalar('disk') },
  reservations: [],
  disk: { source: { type: 'RAW', profile: 'fast', vendor: 'org.example', id: 'csi-1' } },
  revocable: false,
  shared: false,
  providerId: 'rp-1',
});

// Every builder, as it would appear in one answer (schema-wise; not a meaningful sequence).
const EVERY: [string, OfferOperation][] = [
  ['reserve', reserve(res('cpus:1;mem:128'), { ...reservation, id: 'op-reserve' })],
  ['unreserve', unreserve(reservedAs(res('cpus:1'), reservation), { id: 'op-unreserve' })],
  ['createVolume', createVolume(disk, { persistenceId: 'v1', containerPath: 'data', id: 'op-c' })],
  ['createVolumes', createVolumes(volume)],
  ['destroyVolume', destroyVolume(volume, { id: 'op-destroy' })],
  ['growVolume', growVolume(volume, disk)],
  ['shrinkVolume', shrinkVolume(volume, '16')],
  ['createDisk', createDisk(raw, { targetType: 'MOUNT', id: 'op-cd' })],
  ['destroyDisk', destroyDisk(raw)],
  ['launch', launch([task('t1'), task('t2', { image: 'docker.io/library/busybox:1.36' })])],
  ['launchGroup', launchGroup([task('g1'), task('g2')])],
];

describe('sdk operation builders', () => {
  for (const [name, op] of EVERY) {
    it(`${name} produces an answer the Offer schema admits unchanged`, () => {
      const { causes, pruned } = admit(offerWith(acceptResponse([op], { refuseSeconds: 30 })));
      expect(causes, JSON.stringify(causes)).to.deep.equal([]);
      expect(pruned).to.deep.equal([]);
    });
  }

  it('declineResponse with and without filters is admitted', () => {
    for (const response of [declineResponse(), declineResponse({ refuseSeconds: 0 })]) {
      expect(admit(offerWith(response)).causes).to.deep.equal([]);
    }
  });

  it('reserve pushes one DYNAMIC entry with principal and labels, and drops the allocation', () => {
    const op = reserve(res('cpus:1').allocate(ROLE), reservation);
    expect(op).to.deep.equal({
      type: 'RESERVE',
      reserve: {
        resources: [
          {
            name: 'cpus',
            type: 'SCALAR',
            scalar: '1',
            reservations: [
              { type: 'DYNAMIC', role: ROLE, principal: PRINCIPAL, labels: { owner: 'fw' } },
            ],
          },
        ],
      },
    });
  });

  it('reserve takes the map form and refuses a role that does not refine the stack', () => {
    expect(reserve({ cpus: '0.5' }, { role: ROLE }).reserve?.resources).to.have.length(1);
    const already = reservedAs(res('cpus:1'), { role: 'eng' });
    expect(() => reserve(already, { role: 'other' })).to.throw(RangeError);
  });

  it('createVolume keeps size, stack and source and adds persistence and an RW path', () => {
    const mount = reservedAs(
      Resources.of({
        ...res('disk:512').toArray()[0]!,
        disk: { source: { type: 'MOUNT', root: '/mnt/ssd0' } },
      }),
      reservation,
    );
    const op = createVolume(mount, { persistenceId: 'pg', containerPath: 'pgdata', shared: true });
    expect(op.create?.volumes).to.deep.equal([
      {
        name: 'disk',
        type: 'SCALAR',
        scalar: '512',
        reservations: [
          { type: 'DYNAMIC', role: ROLE, principal: PRINCIPAL, labels: { owner: 'fw' } },
        ],
        disk: {
          source: { type: 'MOUNT', root: '/mnt/ssd0' },
          persistence: { id: 'pg', principal: PRINCIPAL },
          volume: { containerPath: 'pgdata', mode: 'RW' },
        },
        shared: true,
      },
    ]);
  });

  it('createVolume records the reservation principal unless told another', () => {
    const made = volumeOf(disk, { persistenceId: 'p', containerPath: 'p' });
    expect(made.disk?.persistence).to.deep.equal({ id: 'p', principal: PRINCIPAL });
    const other = volumeOf(disk, { persistenceId: 'p', containerPath: 'p', principal: 'ops' });
    expect(other.disk?.persistence?.principal).to.equal('ops');
  });

  it('volume builders refuse anything but exactly one disk resource', () => {
    expect(() => createVolume(res('cpus:1'), { persistenceId: 'x', containerPath: 'x' })).to.throw(
      RangeError,
      /disk/,
    );
    expect(() => growVolume(res('disk:1;cpus:1'), disk)).to.throw(RangeError, /exactly one/);
  });

  it('launch and launchGroup carry no id and copy the templates', () => {
    const tasks = [task('a')];
    const op = launch(tasks);
    tasks.push(task('b'));
    expect(op).to.deep.equal({ type: 'LAUNCH', launch: { tasks: [task('a')] } });
    expect(launchGroup([task('a')])).to.not.have.property('id');
  });

  it('RESERVE → CREATE → LAUNCH on the volume, all from the builders, is what the offer engine accepts', () => {
    const offered = res('cpus:2;mem:512;disk:1024');
    const wanted = res('cpus:1;mem:128;disk:64');
    const reservedDisk = reservedAs(res('disk:64'), { role: ROLE, principal: PRINCIPAL });
    const plan = accept(offered, [
      reserve(wanted, { role: ROLE, principal: PRINCIPAL, id: 'op-reserve' }),
      createVolume(reservedDisk, {
        persistenceId: 'data-1',
        containerPath: 'data',
        id: 'op-create',
      }),
      launch([
        task('writer', {
          resources: { cpus: 1, mem: 128 },
          volumes: [{ containerPath: 'data', persistentVolume: { name: 'data-1' } }],
        }),
      ]),
    ]);
    expect(opResult(plan, 0).state, opResult(plan, 0).message).to.equal('OPERATION_PENDING');
    expect(opResult(plan, 1).state, opResult(plan, 1).message).to.equal('OPERATION_PENDING');
    const [t] = launchResult(plan, 2).tasks;
    expect(t?.state, t?.message).to.equal('TASK_STAGING');
  });
});
