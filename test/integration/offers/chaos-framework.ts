// The chaos run's framework, through the typed client as a framework would be: it reads its open
// offers, answers one at the version it read (an answer to a changed or rescinded offer fails),
// and kills its tasks; and the rescinds it suffers, which are deletions at the version last seen,
// as the allocator makes them.
import { expect } from 'chai';
import type { Client } from '../../../core/client/index.ts';
import { corralKinds, isConflict, isNotFound } from '../../../core/client/index.ts';
import type { Offer, OfferResponse } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { holds } from './chaos-states.ts';

const byName = <T extends { metadata: { name?: string } }>(a: T, b: T): number =>
  (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;

/** ChaosFramework is the framework of one run's namespace. */
export class ChaosFramework {
  readonly #client: Client;
  readonly #namespace: string;

  constructor(client: Client, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  /**
   * openOffer is the pick-th open offer (by name). With `wait`, it waits a little for one to
   * come: after an accept the allocator holds the leftovers a moment.
   */
  async openOffer(pick: number, wait: boolean): Promise<Offer | undefined> {
    const open = async () => {
      const l = await this.#client.for(corralKinds.offers).list({ namespace: this.#namespace });
      return l.items
        .filter(o => o.spec.response === undefined && o.metadata.deletionTimestamp === undefined)
        .sort(byName);
    };
    const offers = wait
      ? await eventually(async () => {
          const l = await open();
          expect(l).to.not.deep.equal([]);
          return l;
        }, 3000).catch(() => [])
      : await open();
    return offers[pick % Math.max(1, offers.length)];
  }

  /** answer writes the answer at the version read; false when the offer changed or went first. */
  async answer(o: Offer, response: OfferResponse): Promise<boolean> {
    try {
      await this.#client.for(corralKinds.offers).update({ ...o, spec: { ...o.spec, response } });
      return true;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return false;
      throw e;
    }
  }

  /** rescind deletes the offer at the version read; false when it changed or went first. */
  async rescind(o: Offer): Promise<boolean> {
    const { namespace = '', name = '', resourceVersion } = o.metadata;
    try {
      await this.#client
        .for(corralKinds.offers)
        .delete(
          { namespace, name },
          resourceVersion === undefined ? {} : { preconditions: { resourceVersion } },
        );
      return true;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return false;
      throw e;
    }
  }

  /** kill deletes the pick-th live task (by name); its name, or undefined when none lives. */
  async kill(pick: number): Promise<string | undefined> {
    const tasks = await this.#client.for(corralKinds.tasks).list({ namespace: this.#namespace });
    const live = tasks.items
      .filter(t => t.metadata.deletionTimestamp === undefined && holds(t))
      .sort(byName);
    const name = live[pick % Math.max(1, live.length)]?.metadata.name;
    if (name === undefined) return undefined;
    await this.#client
      .for(corralKinds.tasks)
      .delete({ namespace: this.#namespace, name })
      .catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    return name;
  }

  /** answersLeft are the answered offers the offer controller has yet to carry out. */
  async answersLeft(): Promise<string[]> {
    const l = await this.#client.for(corralKinds.offers).list({ namespace: this.#namespace });
    return l.items.flatMap(o => (o.spec.response === undefined ? [] : [o.metadata.name ?? '']));
  }
}
