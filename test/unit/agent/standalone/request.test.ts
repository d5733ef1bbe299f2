import { expect } from 'chai';
import { parseStandaloneRequest } from '../../../../agent/standalone/request.ts';

describe('standalone container requests', () => {
  it('fills an id, default resources and host network', () => {
    const r = parseStandaloneRequest({ command: { value: 'sleep 1' } });
    expect(r.id).to.match(/^sc-[0-9a-f]{12}$/);
    expect(r.resources).to.deep.equal({ cpus: '0.1', mem: 64 });
    expect(r.network).to.equal('host');
    expect(r.stdin).to.equal(false);
  });

  const refused: [string, unknown, RegExp][] = [
    ['a non-object', [], /must be an object/],
    ['an id a Task container uses', { id: 'task-1', command: { value: 'x' } }, /task-/],
    ['an id with a slash', { id: 'a/b', command: { value: 'x' } }, /id must match/],
    ['nothing to run', { id: 'x' }, /image or a command/],
    ['bad resources', { command: { value: 'x' }, resources: { cpus: 'lots' } }, /resources/],
    ['a bad network', { command: { value: 'x' }, network: 'bridge' }, /network/],
  ];
  for (const [what, body, why] of refused) {
    it(`refuses ${what}`, () => expect(() => parseStandaloneRequest(body)).to.throw(why));
  }
});
