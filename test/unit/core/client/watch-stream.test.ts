import { expect } from 'chai';
import { PassThrough, Readable } from 'node:stream';
import { isGone } from '../../../../core/client/index.ts';
import { isWatch } from '../../../../core/client/https-transport.ts';
import type { WatchEvent } from '../../../../core/client/watch-stream.ts';
import { readWatchEvents } from '../../../../core/client/watch-stream.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';

const ev = (type: string, name: string, rv: string): string =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } });

const summary = (e: WatchEvent<KubeObject>): string =>
  e.type === 'BOOKMARK' ? `BOOKMARK ${e.resourceVersion}` : `${e.type} ${e.object.metadata.name}`;

async function collect(chunks: readonly (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  const body = Readable.from(chunks.map(c => Buffer.from(c)));
  for await (const e of readWatchEvents<KubeObject>(body)) out.push(summary(e));
  return out;
}

describe('readWatchEvents over a node stream', () => {
  it('joins events split across chunks, even inside a UTF-8 character', async () => {
    const line = `${ev('ADDED', 'café', '1')}\n`;
    const bytes = Buffer.from(line);
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    expect(
      await collect([bytes.subarray(0, 7), bytes.subarray(7, cut), bytes.subarray(cut)]),
    ).to.deep.equal(['ADDED café']);
  });

  it('skips heartbeats and unknown types, reads a last line without a newline', async () => {
    const chunks = [
      '\n',
      `${ev('ADDED', 'a', '1')}\n\n${ev('FUTURE', 'x', '2')}\n`,
      `${ev('BOOKMARK', '', '3')}\n`,
      ev('DELETED', 'a', '4'),
    ];
    expect(await collect(chunks)).to.deep.equal(['ADDED a', 'BOOKMARK 3', 'DELETED a']);
  });

  it('throws a Gone ClientError for an ERROR event with a 410 Status', async () => {
    const status = { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 };
    const err = await collect([
      `${ev('ADDED', 'a', '1')}\n`,
      `${JSON.stringify({ type: 'ERROR', object: status })}\n`,
    ]).catch((e: unknown) => e);
    expect(isGone(err)).to.equal(true);
  });

  it('destroys the stream (and so its connection) when the reader stops early', async () => {
    const body = new PassThrough();
    body.write(`${ev('ADDED', 'a', '1')}\n${ev('ADDED', 'b', '2')}\n`);
    for await (const e of readWatchEvents<KubeObject>(body)) {
      expect(summary(e)).to.equal('ADDED a');
      break;
    }
    expect(body.destroyed).to.equal(true);
  });
});

describe('isWatch', () => {
  const table: [string, boolean][] = [
    ['/api/v1/namespaces?watch=true', true],
    ['/apis/corral.dev/v1alpha1/offers?resourceVersion=5&watch=1&timeoutSeconds=300', true],
    ['/apis/corral.dev/v1alpha1/offers?watch=false', false],
    ['/apis/corral.dev/v1alpha1/offers?labelSelector=x&limit=500', false],
    ['/apis/corral.dev/v1alpha1/namespaces/watch=true/offers', false],
    ['/apis/corral.dev/v1alpha1/offers?nowatch=true', false],
  ];
  for (const [path, expected] of table)
    it(`${expected ? 'streams' : 'buffers'} ${path}`, () =>
      expect(isWatch(path)).to.equal(expected));
});
