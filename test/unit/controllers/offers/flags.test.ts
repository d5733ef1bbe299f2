import { expect } from 'chai';
import { offerFlowConfig, splitOfferFlowFlags } from '../../../../controllers/offers/flags.ts';

describe('offer-flow flags', () => {
  it('leaves absent flags to the controllers’ Mesos defaults', () => {
    expect(offerFlowConfig({})).to.deep.equal({
      agents: {},
      operations: {},
      reservations: {},
      frameworks: {},
      tasks: {},
      offers: {},
    });
  });

  it('reads durations and counts', () => {
    expect(
      offerFlowConfig({
        agentPingTimeout: '400ms',
        maxAgentPingTimeouts: '5',
        operationRetention: '1s',
        operationConfirmGrace: '500ms',
        reservationRetry: '2s',
        frameworkTimeout: '3s',
        missingAgentGrace: '45s',
        offerWorkers: '8',
      }),
    ).to.deep.equal({
      agents: { agentPingTimeoutMs: 400, maxAgentPingTimeouts: 5 },
      operations: { retentionMs: 1000, confirmGraceMs: 500 },
      reservations: { retryMs: 2000 },
      frameworks: { timeoutMs: 3000 },
      tasks: { standInRetentionMs: 1000, missingAgentGraceMs: 45_000 },
      offers: { workers: 8 },
    });
  });

  it('names the flag that is wrong', () => {
    expect(() => offerFlowConfig({ maxAgentPingTimeouts: '0' })).to.throw(
      RangeError,
      /--max-agent-ping-timeouts/,
    );
    expect(() => offerFlowConfig({ operationRetention: 'soon' })).to.throw(
      RangeError,
      /--operation-retention/,
    );
    expect(() => offerFlowConfig({ frameworkTimeout: '0s' })).to.throw(
      RangeError,
      /--framework-timeout/,
    );
  });

  it('keeps its flags apart from the allocator’s', () => {
    const { offerFlow, others } = splitOfferFlowFlags({
      agentPingTimeout: '1s',
      allocationInterval: '1s',
    });
    expect(offerFlow).to.deep.equal({ agentPingTimeout: '1s' });
    expect(others).to.deep.equal({ allocationInterval: '1s' });
  });
});
