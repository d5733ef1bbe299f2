// `--destroy`: give back what the stateful framework holds on an offer that shows it: DESTROY its
// volume, then UNRESERVE everything reserved with its reservation (the volume's disk included).
import { Resources } from '../../core/resources/index.ts';
import type { Offer, OfferOperation } from '../../core/types/index.ts';
import type { ReservationOptions } from '../../sdk/index.ts';
import { destroyVolume, offerResources, reservedBy, unreserve } from '../../sdk/index.ts';

/** ReleaseInput is the offer and what the framework holds. */
export interface ReleaseInput {
  readonly offer: Offer;
  readonly reservation: ReservationOptions;
  readonly persistenceId: string;
}

/** ReleaseStep is what to do with the offer. */
export type ReleaseStep =
  | { readonly kind: 'release'; readonly operations: OfferOperation[]; readonly released: string }
  | { readonly kind: 'decline'; readonly why: string };

/** planRelease destroys the volume and unreserves the framework's resources if the offer has them. */
export function planRelease(i: ReleaseInput): ReleaseStep {
  const offered = offerResources(i.offer);
  const volume = offered
    .persistentVolumes()
    .filter(r => r.disk?.persistence?.id === i.persistenceId);
  const mine = reservedBy(offered, i.reservation);
  if (volume.isEmpty() && mine.isEmpty())
    return {
      kind: 'decline',
      why: `nothing of volume ${i.persistenceId} or the reservation in the offer`,
    };
  // After DESTROY the volume is plain reserved disk again: unreserve that, not the volume.
  const plain = Resources.from(
    volume.toArray().map(v => {
      const source = v.disk?.source;
      const rest = { ...v };
      delete rest.disk;
      return source === undefined ? rest : { ...rest, disk: { source } };
    }),
  );
  const toRelease = mine.subtract(volume).add(plain);
  const operations = [
    ...(volume.isEmpty() ? [] : [destroyVolume(volume)]),
    ...(toRelease.isEmpty() ? [] : [unreserve(toRelease)]),
  ];
  return { kind: 'release', operations, released: toRelease.toString() };
}
