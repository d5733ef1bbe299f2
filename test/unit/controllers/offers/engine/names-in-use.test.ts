import { expect } from 'chai';
import { NamesInUse, lookupOfList } from '../../../../../controllers/offers/engine/names-in-use.ts';

describe('NamesInUse: names an answer may not give a new record', () => {
  const records = [
    { name: 'db', offer: 'old-offer' },
    { name: 'web', offer: 'this-offer' },
    { name: 'byhand' },
  ];

  it("a name another offer's record (or a hand-made one) holds is in use; this offer's own is not", () => {
    const names = new NamesInUse(lookupOfList(records), 'this-offer');
    expect(names.has('db')).to.equal(true);
    expect(names.has('byhand')).to.equal(true);
    expect(names.has('web'), 'an earlier run of this plan made it').to.equal(false);
    expect(names.has('new')).to.equal(false);
    names.add('new');
    expect(names.has('new')).to.equal(true);
  });

  it('reads the lookup one name at a time, never the whole list', () => {
    const asked: string[] = [];
    const names = new NamesInUse(name => (asked.push(name), undefined), 'o');
    names.has('a');
    names.has('b');
    expect(asked).to.deep.equal(['a', 'b']);
  });

  it("a fork's additions stay in the fork (a task group tried as a whole)", () => {
    const names = new NamesInUse(lookupOfList(records), 'this-offer');
    names.add('first');
    const fork = names.fork();
    fork.add('grouped');
    expect(fork.has('first')).to.equal(true);
    expect(fork.has('grouped')).to.equal(true);
    expect(names.has('grouped')).to.equal(false);
  });
});
