import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchError } from '../../../../agent/fetcher/errors.ts';
import {
  fileInside,
  mkdirInside,
  segmentsOf,
  UnsafePathError,
} from '../../../../agent/fetcher/safe-path.ts';
import { archiveKind, parseSource } from '../../../../agent/fetcher/uri.ts';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(FetchError);
    return (e as FetchError).code;
  }
  throw new Error('accepted');
}

describe('parseSource', () => {
  it('reads absolute paths and file:// URLs as local files', () => {
    expect(parseSource('/opt/app/run.sh')).to.deep.equal({
      kind: 'file',
      path: '/opt/app/run.sh',
      name: 'run.sh',
    });
    expect(parseSource('file:///opt/my%20app/a.tgz')).to.deep.equal({
      kind: 'file',
      path: '/opt/my app/a.tgz',
      name: 'a.tgz',
    });
  });

  it('reads http(s) URLs, naming the file after the last decoded path segment', () => {
    const s = parseSource('http://127.0.0.1:8080/dl/my%20tool.tar.gz?token=x');
    expect(s.kind).to.equal('http');
    expect(s.name).to.equal('my tool.tar.gz');
    expect(parseSource('https://example.test/').name).to.equal('');
  });

  it('refuses other schemes and relative paths, clearly', () => {
    expect(codeOf(() => parseSource('ftp://h/x'))).to.equal('UNSUPPORTED_SCHEME');
    expect(codeOf(() => parseSource('hdfs://nn/x'))).to.equal('UNSUPPORTED_SCHEME');
    expect(() => parseSource('s3://b/k')).to.throw(
      /scheme 's3' is not supported \(use file, http, https\)/,
    );
    expect(codeOf(() => parseSource('relative/path'))).to.equal('INVALID_URI');
    expect(codeOf(() => parseSource('file://remote-host/x'))).to.equal('INVALID_URI');
  });
});

describe('archiveKind', () => {
  it('tells archives by suffix, as Mesos does', () => {
    expect(archiveKind('a.tar')).to.equal('tar');
    expect(archiveKind('a.TAR.GZ')).to.equal('tar.gz');
    expect(archiveKind('a.tgz')).to.equal('tar.gz');
    expect(archiveKind('a.csv.gz')).to.equal('gz');
    for (const n of ['a.zip', 'a.tar.bz2', 'a.tbz2', 'a.tar.xz', 'a.txz'])
      expect(archiveKind(n)).to.equal('unsupported');
    expect(archiveKind('run.sh')).to.equal('none');
  });
});

describe('safe paths', () => {
  it('segmentsOf drops . and empty segments and refuses .., absolute names and NUL', () => {
    expect(segmentsOf('./a//b/.')).to.deep.equal(['a', 'b']);
    for (const bad of ['..', 'a/../b', '/etc/passwd', 'a\0b'])
      expect(() => segmentsOf(bad)).to.throw(UnsafePathError);
  });

  it('mkdirInside and fileInside refuse to go through symlinks or files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'crl-safe-'));
    try {
      await mkdir(join(root, 'real'));
      await symlink('real', join(root, 'link'));
      expect(await fileInside(root, 'sub/dir/f')).to.equal(join(root, 'sub', 'dir', 'f'));
      expect(await mkdirInside(root, ['real', 'x'])).to.equal(join(root, 'real', 'x'));
      let err: unknown;
      try {
        await fileInside(root, 'link/f');
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(UnsafePathError);
      expect(() => segmentsOf('')).not.to.throw();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
