import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/types/meta.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { Admission } from '../handlers/admission.ts';
import type { ResourceRequest } from '../handlers/context.ts';
import { CRDS } from '../registry/builtins.ts';
import type { CustomResourceDefinition } from '../registry/crd-types.ts';
import { validateCrd } from '../registry/crd-validation.ts';
import { resourcesFromCrd } from '../registry/from-crd.ts';
import { objectKey } from '../registry/keys.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import { storagePrefix } from '../registry/resource-info.ts';
import { prepareCreate, rfc3339 } from '../registry/strategy.ts';
import { StorageError, type Store, type Watcher } from '../storage/types.ts';

/** CLEANUP_FINALIZER holds a deleted CRD until all its objects are gone (as kube). */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

// how often installing one CRD file is retried after losing a race with another replica
const INSTALL_ATTEMPTS = 5;

/** CrdControllerOptions are the collaborators of the CRD controller. */
export interface CrdControllerOptions {
  readonly store: Store;
  readonly registry: ResourceRegistry;
  readonly root: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * CrdController serves what is stored: it installs CRD files at start, watches stored CRDs,
 * registers each valid one with the registry (discovery and routes follow), keeps their status
 * (acceptedNames, storedVersions, Established/NamesAccepted) and cleans up deleted ones.
 */
export class CrdController implements Admission {
  private readonly opts: CrdControllerOptions;
  private watcher: Watcher | undefined;

  constructor(opts: CrdControllerOptions) {
    this.opts = opts;
  }

  /** installFiles creates or updates the CRDs found in `dir` (`*.yaml`, multi-document allowed). */
  async installFiles(dir: string): Promise<number> {
    let count = 0;
    if (!existsSync(dir)) return 0;
    for (const file of readdirSync(dir)
      .filter(f => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const obj = doc.toJS() as KubeObject | null;
        if (obj?.kind !== 'CustomResourceDefinition') continue;
        await this.install(structuredClone(obj));
        count += 1;
      }
    }
    return count;
  }

  private async install(body: KubeObject): Promise<void> {
    const now = rfc3339(this.opts.clock.now());
    const obj = prepareCreate(
      { info: CRDS, namespace: undefined, fieldValidation: 'Ignore', now, warnings: [] },
      body,
    );
    validateCrd(obj);
    obj.metadata.finalizers = [CLEANUP_FINALIZER];
    const key = objectKey(CRDS, { root: this.opts.root, name: obj.metadata.name ?? '' });
    // API server replicas starting together install the same files: a lost race re-reads and
    // finds the other's write (usually the same spec), so it is retried, not fatal
    for (let attempt = 1; ; attempt++) {
      try {
        const cur = await this.opts.store.get(key);
        if (cur === undefined) {
          await this.opts.store.create(key, obj);
          return;
        }
        if (isDeepStrictEqual(cur.object['spec'], obj['spec'])) return;
        const next = { ...structuredClone(cur.object), spec: obj['spec'] };
        next.metadata.generation = (cur.object.metadata.generation ?? 1) + 1;
        await this.opts.store.update(key, next, cur.rv);
        return;
      } catch (e) {
        const raced =
          e instanceof StorageError && (e.code === 'KeyExists' || e.code === 'Conflict');
        if (!raced || attempt >= INSTALL_ATTEMPTS) throw e;
      }
    }
  }

  /** start loads every stored CRD into the registry and follows changes. */
  async start(): Promise<void> {
    const prefix = storagePrefix(CRDS, this.opts.root);
    const initial = await this.opts.store.list(prefix);
    for (const s of initial.items) await this.observe(s.object);
    this.watcher = this.opts.store.watch({
      prefix,
      fromRevision: initial.revision,
      onEvent: ev => {
        if (ev.type === 'DELETED') this.opts.registry.removeCrd(ev.object.metadata.name ?? '');
        else
          void this.observe(ev.object).catch((e: unknown) =>
            this.opts.logger.warn({ err: String(e) }, 'crd sync failed'),
          );
      },
      onError: err => this.opts.logger.error({ err: err.message }, 'crd watch ended'),
    });
  }

  /** stop ends the watch. */
  stop(): void {
    this.watcher?.stop();
  }

  private async observe(obj: KubeObject): Promise<void> {
    const crd = obj as CustomResourceDefinition;
    const name = crd.metadata.name ?? '';
    if (crd.metadata.deletionTimestamp !== undefined) {
      await this.cleanup(crd);
      return;
    }
    this.opts.registry.setCrd(name, resourcesFromCrd(crd));
    await this.writeStatus(crd);
  }

  private async writeStatus(crd: CustomResourceDefinition): Promise<void> {
    const now = rfc3339(this.opts.clock.now());
    const storage = crd.spec.versions.find(v => v.storage)?.name ?? '';
    const prev = (crd.status ?? {}) as {
      storedVersions?: string[];
      conditions?: { type: string; lastTransitionTime?: string }[];
    };
    const stored = [...new Set([...(prev.storedVersions ?? []), storage])];
    const since = (type: string): string =>
      prev.conditions?.find(c => c.type === type)?.lastTransitionTime ?? now;
    const status = {
      acceptedNames: crd.spec.names,
      storedVersions: stored,
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: since('NamesAccepted'),
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: since('Established'),
        },
      ],
    };
    if (isDeepStrictEqual(crd.status, status)) return;
    const key = objectKey(CRDS, { root: this.opts.root, name: crd.metadata.name ?? '' });
    const cur = await this.opts.store.get(key);
    if (cur === undefined || cur.object.metadata.deletionTimestamp !== undefined) return;
    try {
      await this.opts.store.update(key, { ...cur.object, status }, cur.rv);
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'Conflict')) throw e;
    }
  }

  private async cleanup(crd: CustomResourceDefinition): Promise<void> {
    const { store, root, registry } = this.opts;
    const name = crd.metadata.name ?? '';
    registry.removeCrd(name);
    const prefix = storagePrefix({ group: crd.spec.group, plural: crd.spec.names.plural }, root);
    const page = await store.list(prefix);
    for (const s of page.items) {
      try {
        await store.delete(s.key, s.rv);
      } catch (e) {
        if (!(e instanceof StorageError)) throw e;
      }
    }
    const key = objectKey(CRDS, { root, name });
    const cur = await store.get(key);
    if (cur === undefined) return;
    const finalizers = (cur.object.metadata.finalizers ?? []).filter(f => f !== CLEANUP_FINALIZER);
    try {
      if (finalizers.length === 0) await store.delete(key, cur.rv);
      else
        await store.update(
          key,
          { ...cur.object, metadata: { ...cur.object.metadata, finalizers } },
          cur.rv,
        );
    } catch (e) {
      // another replica changed or removed it first; its write's event brings us back here
      if (!(e instanceof StorageError && (e.code === 'Conflict' || e.code === 'NotFound'))) throw e;
    }
  }

  /** admitCreate validates CRDs posted through the API and adds the cleanup finalizer. */
  admitCreate(r: ResourceRequest, obj: KubeObject): Promise<void> {
    if (r.info !== CRDS) return Promise.resolve();
    validateCrd(obj);
    obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), CLEANUP_FINALIZER])];
    return Promise.resolve();
  }

  /** admitUpdate validates CRD changes (names and schemas). */
  admitUpdate(r: ResourceRequest, _current: KubeObject, next: KubeObject): Promise<void> {
    if (
      r.info === CRDS &&
      r.subresource === undefined &&
      next.metadata.deletionTimestamp === undefined
    )
      validateCrd(next);
    return Promise.resolve();
  }
}
