import { expect } from 'chai';
import { Command } from 'commander';
import { pino } from 'pino';
import {
  startControllers,
  withOfferFlowFlags,
  withServingFlags,
} from '../../../cli/controllers.ts';
import { OFFER_FLOW_FLAG_NAMES, offerFlowConfig } from '../../../controllers/offers/flags.ts';
import { DEFAULT_OFFER_WORKERS } from '../../../controllers/offers/index.ts';

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

  it('--offer-workers reaches the offer controller (48 unless given) and must be a count', () => {
    const cmd = withOfferFlowFlags(new Command('controllers')).exitOverride();
    cmd.parse(['--offer-workers', '12'], { from: 'user' });
    const flags = cmd.opts<{ offerWorkers?: string }>();
    expect(offerFlowConfig(flags).offers).to.deep.equal({ workers: 12 });
    const defaults = withOfferFlowFlags(new Command('controllers')).exitOverride();
    defaults.parse([], { from: 'user' });
    expect(defaults.opts()['offerWorkers']).to.equal(String(DEFAULT_OFFER_WORKERS));
    expect(() => offerFlowConfig({ offerWorkers: '0' })).to.throw(RangeError, /--offer-workers/);
    expect(() => offerFlowConfig({ offerWorkers: 'many' })).to.throw(RangeError, /--offer-workers/);
  });

  it('--api-connections is declared with the controllers’ serving flags (128 unless given)', () => {
    const cmd = withServingFlags(new Command('controllers')).exitOverride();
    cmd.parse([], { from: 'user' });
    expect(cmd.opts()['apiConnections']).to.equal('128');
  });

  it('refuses an --api-connections that is not a count before starting anything', () => {
    const logger = pino({ level: 'silent' });
    for (const bad of ['0', '-3', '1.5', 'lots'])
      expect(() => startControllers({ apiConnections: bad, logger }), bad).to.throw(
        RangeError,
        /--api-connections/,
      );
  });
});
