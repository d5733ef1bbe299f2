import { expect } from 'chai';
import { PassThrough, Readable } from 'node:stream';
import { ClientError, isGone } from '../../../../core/client/index.ts';
import { isWatch } from '../../../../core/client/pooled-transport.ts';
import type { WatchEvent } from '../../../../core/client/watch-stream.ts';
import { readWatchEventBatches, readWatchEvents } from '../../../../core/client/watch-stream.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';

const ev = (type: string, name: string, rv: string): string =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } });

const summary = (e: WatchEvent<KubeObject>): string =>
  e.type === 'BOOKMARK' ? `BOOKMARK ${e.resourceVersion}` : `${e.type} ${e.object.metadata.name}`;

type Body = AsyncIterable<Uint8Array>;

// flat reads the batches one event at a time, so both readers run the same table
async function* flat(body: Body): AsyncGenerator<WatchEvent<KubeObject>> {
  for await (const batch of readWatchEventBatches<KubeObject>(body)) {
    expect(batch).to.not.have.length(0);
    yield* batch;
  }
}

const readers: [string, (body: Body) => AsyncIterable<WatchEvent<KubeObject>>][] = [
  ['readWatchEvents', body => readWatchEvents<KubeObject>(body)],
  ['readWatchEventBatches', flat],
];

const bodyOf = (chunks: readonly (string | Uint8Array)[]): Body =>
  Readable.from(chunks.map(c => (typeof c === 'string' ? Buffer.from(c) : c)));

for (const [name, read] of readers) {
  // the events read, and what the read failed with (undefined when it ended cleanly)
  const readAll = async (body: Body): Promise<{ events: string[]; error: unknown }> => {
    const events: string[] = [];
    try {
      for await (const e of read(body)) events.push(summary(e));
      return { events, error: undefined };
    } catch (error) {
      return { events, error };
    }
  };
  const collect = async (chunks: readonly (string | Uint8Array)[]): Promise<string[]> => {
    const { events, error } = await readAll(bodyOf(chunks));
    if (error !== undefined) throw error as Error;
    return events;
  };

  describe(`${name} over a node stream`, () => {
    it('joins events split across chunks, even inside a UTF-8 character', async () => {
      const bytes = Buffer.from(`${ev('ADDED', 'café', '1')}\n`);
      const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
      expect(
        await collect([bytes.subarray(0, 7), bytes.subarray(7, cut), bytes.subarray(cut)]),
      ).to.deep.equal(['ADDED café']);
    });

    it('reads every event wherever the chunks are cut, multi-byte characters included', async () => {
      // 2-, 3- and 4-byte UTF-8 characters, a heartbeat, and a last event without a newline
      const body = Buffer.from(
        `${ev('ADDED', 'café', '1')}\n\n${ev('MODIFIED', 'price-€', '2')}\n${ev('DELETED', 'ok-😀', '3')}`,
      );
      const want = ['ADDED café', 'MODIFIED price-€', 'DELETED ok-😀'];
      for (let cut = 0; cut <= body.length; cut++) {
        const got = await collect([body.subarray(0, cut), body.subarray(cut)]);
        expect(got, `cut at ${cut}`).to.deep.equal(want);
      }
      const bytes = [...body].map(b => Buffer.from([b]));
      expect(await collect(bytes), 'one byte a chunk').to.deep.equal(want);
    });

    it('reads plain Uint8Array views (fetch bodies) at an offset into a larger buffer', async () => {
      const text = `${ev('ADDED', 'a', '1')}\n${ev('ADDED', 'ü', '2')}\n`;
      const backing = new Uint8Array(text.length + 64);
      const written = new TextEncoder().encodeInto(text, backing.subarray(16)).written;
      const whole = backing.subarray(16, 16 + written);
      const mid = whole.indexOf(0xc3) + 1; // inside ü
      const chunks = [whole.subarray(0, mid), whole.subarray(mid)];
      const body = (async function* () {
        for (const c of chunks) {
          await Promise.resolve(); // each arrives later, as a fetch body's chunks do
          yield c;
        }
      })();
      const { events, error } = await readAll(body);
      expect(error).to.equal(undefined);
      expect(events).to.deep.equal(['ADDED a', 'ADDED ü']);
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

    it('trims whitespace around a line and takes a whitespace-only line for a heartbeat', async () => {
      const chunks = [
        `  ${ev('ADDED', 'a', '1')}\r\n`,
        ' \r\n\t\n',
        `\uFEFF${ev('MODIFIED', 'a', '2')}\u00A0\n`,
        `${ev('DELETED', 'a', '3')}  `,
      ];
      expect(await collect(chunks)).to.deep.equal(['ADDED a', 'MODIFIED a', 'DELETED a']);
    });

    it('fails with a ClientError on a line that is not JSON, after the events before it', async () => {
      const { events, error } = await readAll(
        bodyOf([`${ev('ADDED', 'a', '1')}\n{"type":"ADD`, `ED"\n${ev('ADDED', 'b', '2')}\n`]),
      );
      expect(events).to.deep.equal(['ADDED a']);
      expect(error).to.be.instanceOf(ClientError);
      expect((error as ClientError).message).to.match(/undecodable watch event/);
    });

    it('throws a Gone ClientError for an ERROR event, after the events of its chunk before it', async () => {
      const status = { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 };
      const error = `${JSON.stringify({ type: 'ERROR', object: status })}\n`;
      const { events, error: err } = await readAll(
        bodyOf([
          `${ev('ADDED', 'a', '1')}\n${ev('ADDED', 'b', '2')}\n${error}${ev('ADDED', 'c', '3')}\n`,
        ]),
      );
      expect(events).to.deep.equal(['ADDED a', 'ADDED b']);
      expect(isGone(err)).to.equal(true);
    });

    it('destroys the stream (and so its connection) when the reader stops early', async () => {
      const body = new PassThrough();
      body.write(`${ev('ADDED', 'a', '1')}\n${ev('ADDED', 'b', '2')}\n`);
      for await (const e of read(body)) {
        expect(summary(e)).to.equal('ADDED a');
        break;
      }
      expect(body.destroyed).to.equal(true);
    });
  });
}

describe('readWatchEventBatches', () => {
  it('hands out the events of each chunk together, skipping chunks with none', async () => {
    const split = ev('MODIFIED', 'b', '6');
    const chunks = [
      `${ev('ADDED', 'a', '1')}\n${ev('ADDED', 'b', '2')}\n${ev('ADDED', 'c', '3')}\n`,
      '\n',
      `${ev('FUTURE', 'x', '4')}\n${ev('MODIFIED', 'a', '5')}\n${split.slice(0, 10)}`,
      `${split.slice(10)}\n`,
      ev('DELETED', 'c', '7'),
    ];
    const batches: string[][] = [];
    for await (const batch of readWatchEventBatches<KubeObject>(bodyOf(chunks)))
      batches.push(batch.map(summary));
    expect(batches).to.deep.equal([
      ['ADDED a', 'ADDED b', 'ADDED c'],
      ['MODIFIED a'],
      ['MODIFIED b'],
      ['DELETED c'],
    ]);
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
