import { expect } from 'chai';
import { withoutMember } from '../../../../core/util/without-member.ts';

describe('withoutMember', () => {
  it('copies every other member in order and leaves the original as it was', () => {
    const meta = { name: 'a', managedFields: [{}], uid: 'u', resourceVersion: '3' };
    const copy = withoutMember(meta, 'managedFields');
    expect(Object.keys(copy)).to.deep.equal(['name', 'uid', 'resourceVersion']);
    expect(copy).to.not.equal(meta);
    expect(Object.keys(meta)).to.deep.equal(['name', 'managedFields', 'uid', 'resourceVersion']);
  });

  it('copies an object that has no such member whole', () => {
    const meta = { name: 'a' };
    expect(withoutMember(meta, 'managedFields')).to.deep.equal({ name: 'a' });
  });
});
