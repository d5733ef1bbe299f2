import { expect } from 'chai';
import type { IKeyValue } from 'etcd3';
import { storedText } from '../../../../api/storage/etcd-txn.ts';
import { OwnWrites } from '../../../../api/storage/own-writes.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';

const obj = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Thing', metadata: { name } });
const kv = (value: string, rev: string): IKeyValue =>
  ({ key: Buffer.from('k'), value: Buffer.from(value), mod_revision: rev }) as IKeyValue;

describe('OwnWrites (writes in flight that stand in for decoding their events)', () => {
  it('gives the noted object for an event with the same text, with its resourceVersion, once', () => {
    const w = new OwnWrites();
    w.add({ key: 'k', value: storedText('{"a":1}'), object: obj('a') });
    const got = w.take('k', kv('{"a":1}', '12'));
    expect(got).to.deep.equal({
      stored: {
        key: 'k',
        object: { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'a', resourceVersion: '12' } },
        rv: '12',
      },
      rendered: undefined,
    });
    expect(w.take('k', kv('{"a":1}', '13'))).to.equal(undefined);
    expect([w.size, w.used]).to.deep.equal([0, 1]);
  });

  it('gives nothing for other text (another writer) or another key, and keeps the note', () => {
    const w = new OwnWrites();
    w.add({ key: 'k', value: storedText('{"a":1}'), object: obj('a') });
    expect(w.take('k', kv('{"a":2}', '12'))).to.equal(undefined);
    expect(w.take('j', kv('{"a":1}', '12'))).to.equal(undefined);
    expect(w.size).to.equal(1);
  });

  it('matches each of several writes of one key by its text, and forgets a note once', () => {
    const w = new OwnWrites();
    w.add({ key: 'k', value: storedText('1'), object: obj('one') });
    const two = w.add({ key: 'k', value: storedText('2'), object: obj('two') });
    w.add({ key: 'k', value: storedText('3'), object: obj('three') });
    two.forget();
    expect(w.take('k', kv('2', '5'))).to.equal(undefined);
    expect(w.take('k', kv('3', '6'))?.stored.object.metadata.name).to.equal('three');
    expect(w.take('k', kv('1', '7'))?.stored.object.metadata.name).to.equal('one');
    expect(w.size).to.equal(0);
    two.forget();
    expect(w.size).to.equal(0);
  });

  it('renders the taken object as served at the event revision when the writer said how', () => {
    const w = new OwnWrites();
    const seen: string[] = [];
    w.add({
      key: 'k',
      value: storedText('{"a":1}'),
      object: obj('a'),
      served: rv => {
        seen.push(rv);
        return { json: `served at ${rv}`, lean: () => `lean at ${rv}` };
      },
    });
    const rendered = w.take('k', kv('{"a":1}', '12'))?.rendered;
    expect([rendered?.json, rendered?.lean()]).to.deep.equal(['served at 12', 'lean at 12']);
    expect(seen).to.deep.equal(['12']);
  });

  it('matches text beyond ASCII by its UTF-8 value, and not a value of another length', () => {
    const w = new OwnWrites();
    w.add({ key: 'k', value: storedText('{"name":"Zoë ✓"}'), object: obj('a') });
    expect(w.take('k', kv('{"name":"Zoe ✓"}', '4'))).to.equal(undefined);
    expect(w.take('k', kv('{"name":"Zoë ✓"}', '5'))?.stored.rv).to.equal('5');
  });
});
