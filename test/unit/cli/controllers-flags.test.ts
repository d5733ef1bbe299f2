import { expect } from 'chai';
import { Command } from 'commander';
import { withOfferFlowFlags } from '../../../cli/controllers.ts';
import { OFFER_FLOW_FLAG_NAMES } from '../../../controllers/offers/flags.ts';

describe('corral controllers: the offer-flow flags on the command line', () => {
  it('declares a flag for every offer-flow setting the controllers read', () => {
    const cmd = withOfferFlowFlags(new Command('controllers'));
    const declared = cmd.options.map(o => o.attributeName());
    for (const name of OFFER_FLOW_FLAG_NAMES) expect(declared, name).to.include(name);
  });

  it('--missing-agent-grace reaches the task controller (30 s unless given)', () => {
    const cmd = withOfferFlowFlags(new Command('controllers')).exitOverride();
    cmd.parse(['--missing-agent-grace', '2m'], { from: 'user' });
    expect(cmd.opts()['missingAgentGrace']).to.equal('2m');
    const defaults = withOfferFlowFlags(new Command('controllers')).exitOverride();
    defaults.parse([], { from: 'user' });
    expect(defaults.opts()['missingAgentGrace']).to.equal('30s');
  });
});
