import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import type { Reservation, ResourceItem } from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  RESERVE,
  items,
  res,
  reserved,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { Flow } from './cluster.ts';
import {
  answer,
  keepBeating,
  makeAgent,
  makeFramework,
  makeNamespace,
  makeOffer,
  startFlow,
  unique,
} from './cluster.ts';

const applied = (r: {
  status?: { conditions?: { type: string; status: string; reason: string; message?: string }[] };
}) => r.status?.conditions?.find(c => c.type === 'Applied');

describe('operator Reservations and Volumes through the real API (reservation controller)', function () {
  this.timeout(60_000);
  let flow: Flow;
  const stops: (() => void)[] = [];
  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    for (const s of stops) s();
    await flow.stop();
  });

  async function agent(): Promise<string> {
    const name =
      (await makeAgent(flow.client, { cpus: '2', mem: '512', disk: '1024' })).metadata.name ?? '';
    stops.push(keepBeating(flow.client, name));
    return name;
  }

  const reservation = (
    name: string,
    agentName: string,
    rs: ResourceItem[],
    role = 'role',
  ): Reservation => ({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent: agentName, role, resources: rs },
  });

  it('MasterAPITest.ReserveResources: an operator Reservation is applied; one larger than the agent is Applied=False (Conflict)', async () => {
    const rsvs = flow.client.for(corralKinds.reservations);
    const a = await agent();
    const ok = unique('rsv');
    const big = unique('rsv');
    await rsvs.create(reservation(ok, a, items(reserved('cpus:1;mem:128'))));
    await rsvs.create(reservation(big, a, items(reserved('cpus:64'))));
    await eventually(async () => {
      const r = await rsvs.get({ name: ok });
      expect(applied(r)).to.include({ status: 'True' });
      expect(r.metadata.finalizers).to.deep.equal(['corral.dev/reservation']);
      const b = await rsvs.get({ name: big });
      expect(applied(b)).to.include({ status: 'False', reason: 'Conflict' });
      expect(applied(b)?.message).to.match(/insufficient resources/);
    });
    await rsvs.delete({ name: ok });
    await eventually(async () => {
      expect((await rsvs.list()).items.map(r => r.metadata.name)).to.not.include(ok);
    });
  });

  it('MasterAPITest.ReservationUpdate: an operator moves a framework reservation to another role, its volume along', async () => {
    const { client } = flow;
    const a = await agent();
    const ns = await makeNamespace(client);
    await makeFramework(client, ns);
    const offer = await makeOffer(client, ns, a, res('cpus:2;mem:512;disk:1024'));
    await answer(client, offer, {
      accept: {
        operations: [RESERVE(reserved('cpus:1;disk:512')), CREATE(volume('256', { id: 'keep' }))],
      },
    });
    const rsvs = client.for(corralKinds.reservations);
    const vols = client.for(corralKinds.volumes);
    const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
      l.items.filter(x => x.spec.agent === a);
    const r = await eventually(async () => {
      const [got] = mine(await rsvs.list());
      expect(got && applied(got)).to.include({ status: 'True' });
      expect(mine(await vols.list())).to.have.length(1);
      return got as Reservation;
    });
    const moved = r.spec.resources.map(item => ({
      ...item,
      reservations: (item.reservations ?? []).map(e => ({ ...e, role: 'other' })),
    }));
    await rsvs.update({ ...r, spec: { ...r.spec, role: 'other', resources: moved } });
    await eventually(async () => {
      const [v] = mine(await vols.list());
      expect(v?.spec.role).to.equal('other');
      expect(v?.spec.resource.reservations?.map(e => e.role)).to.deep.equal(['other']);
      expect(v?.spec.resource.disk?.persistence?.id).to.equal('keep');
      const [after] = mine(await rsvs.list());
      expect(after && applied(after)).to.include({
        status: 'True',
        observedGeneration: after?.metadata.generation,
      });
    });
  });
});
